-- channel_mix_2026 as ana, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT CASE WHEN "t3"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t0"."channel" END AS "channel", CASE WHEN COUNT(DISTINCT "t0"."customer_id") < 25 THEN NULL ELSE COUNT(DISTINCT "t0"."customer_id") END AS "buyers", CASE WHEN COUNT(DISTINCT "t0"."customer_id") < 25 THEN NULL ELSE SUM("t0"."amount") END AS "revenue", COALESCE(MAX("t3"."$sluice_folded"), 0) AS "$sluice_folded_groups"
FROM (SELECT "channel", "household_key" AS "customer_id", "net_amount" AS "amount"
FROM "retail"."transactions"
WHERE "txn_ts" >= TIMESTAMP '2026-01-01 00:00:00') AS "t0"
LEFT JOIN (SELECT "channel", "channel" IS NULL OR COUNT(DISTINCT "household_key") < 25 AS "$sluice_small", COALESCE(SUM(CASE WHEN COUNT(DISTINCT "household_key") < 25 OR "channel" IS NULL THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) AS "$sluice_folded"
FROM "retail"."transactions"
WHERE "txn_ts" >= TIMESTAMP '2026-01-01 00:00:00'
GROUP BY "channel") AS "t3" ON "t0"."channel" = "t3"."channel"
GROUP BY CASE WHEN "t3"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t0"."channel" END
ORDER BY 1;
