-- monthly_active_buyers as ana, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."y" END AS "y", CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."m" END AS "m", CASE WHEN COUNT(DISTINCT "t"."customer_id") < 25 THEN NULL ELSE COUNT(DISTINCT "t"."customer_id") END AS "buyers", COALESCE(MAX("t2"."$sluice_folded"), 0) AS "$sluice_folded_groups"
FROM (SELECT EXTRACT(YEAR FROM "txn_ts") AS "y", EXTRACT(MONTH FROM "txn_ts") AS "m", "household_key" AS "customer_id"
FROM "retail"."transactions") AS "t"
LEFT JOIN (SELECT EXTRACT(YEAR FROM "txn_ts") AS "y", EXTRACT(MONTH FROM "txn_ts") AS "m", EXTRACT(YEAR FROM "txn_ts") IS NULL OR EXTRACT(MONTH FROM "txn_ts") IS NULL OR COUNT(DISTINCT "household_key") < 25 AS "$sluice_small", COALESCE(SUM(CASE WHEN COUNT(DISTINCT "household_key") < 25 OR EXTRACT(YEAR FROM "txn_ts") IS NULL OR EXTRACT(MONTH FROM "txn_ts") IS NULL THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) AS "$sluice_folded"
FROM "retail"."transactions"
GROUP BY EXTRACT(YEAR FROM "txn_ts"), EXTRACT(MONTH FROM "txn_ts")) AS "t2" ON "t"."y" = "t2"."y" AND "t"."m" = "t2"."m"
GROUP BY CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."y" END, CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."m" END
ORDER BY 1, 2;
