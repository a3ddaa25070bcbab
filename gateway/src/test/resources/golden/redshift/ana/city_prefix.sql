-- city_prefix as ana, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT CASE WHEN "t3"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t0"."city" END AS "city", CASE WHEN COUNT(DISTINCT "t0"."$sluice_customer_2") < 25 THEN NULL ELSE COUNT(*) END AS "customers", COALESCE(MAX("t3"."$sluice_folded"), 0) AS "$sluice_folded_groups"
FROM (SELECT "city", "household_key" AS "$sluice_customer_2"
FROM "retail"."households"
WHERE "city" LIKE 'San%') AS "t0"
LEFT JOIN (SELECT "city", "city" IS NULL OR COUNT(DISTINCT "household_key") < 25 AS "$sluice_small", COALESCE(SUM(CASE WHEN COUNT(DISTINCT "household_key") < 25 OR "city" IS NULL THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) AS "$sluice_folded"
FROM "retail"."households"
WHERE "city" LIKE 'San%'
GROUP BY "city") AS "t3" ON "t0"."city" = "t3"."city"
GROUP BY CASE WHEN "t3"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t0"."city" END
ORDER BY 1;
