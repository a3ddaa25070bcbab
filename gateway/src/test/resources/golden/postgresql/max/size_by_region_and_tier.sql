-- size_by_region_and_tier as max, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "region_code" AS "region", CAST(LOWER("tier") AS VARCHAR) AS "loyalty_tier", COUNT(*) AS "customers"
FROM "retail"."households"
GROUP BY "region_code", CAST(LOWER("tier") AS VARCHAR)
ORDER BY "region_code", 2;
