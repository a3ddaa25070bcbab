-- size_by_region_and_tier as ana, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."region" END AS "region", CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."loyalty_tier" END AS "loyalty_tier", CASE WHEN COUNT(DISTINCT "t"."$sluice_customer_3") < 25 THEN NULL ELSE COUNT(*) END AS "customers", COALESCE(MAX("t2"."$sluice_folded"), 0) AS "$sluice_folded_groups"
FROM (SELECT "region_code" AS "region", CAST(LOWER("tier") AS VARCHAR) AS "loyalty_tier", "household_key" AS "$sluice_customer_3"
FROM "retail"."households") AS "t"
LEFT JOIN (SELECT "region_code" AS "region", CAST(LOWER("tier") AS VARCHAR) AS "loyalty_tier", "region_code" IS NULL OR CAST(LOWER("tier") AS VARCHAR) IS NULL OR COUNT(DISTINCT "household_key") < 25 AS "$sluice_small", COALESCE(SUM(CASE WHEN COUNT(DISTINCT "household_key") < 25 OR "region_code" IS NULL OR CAST(LOWER("tier") AS VARCHAR) IS NULL THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) AS "$sluice_folded"
FROM "retail"."households"
GROUP BY "region_code", CAST(LOWER("tier") AS VARCHAR)) AS "t2" ON "t"."region" = "t2"."region" AND "t"."loyalty_tier" = "t2"."loyalty_tier"
GROUP BY CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."region" END, CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."loyalty_tier" END
ORDER BY 1, 2;
