-- birth_year_bands as ana, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."birth_year" END AS "birth_year", CASE WHEN COUNT(DISTINCT "t"."$sluice_customer_2") < 25 THEN NULL ELSE COUNT(*) END AS "customers", COALESCE(MAX("t2"."$sluice_folded"), 0) AS "$sluice_folded_groups"
FROM (SELECT EXTRACT(YEAR FROM (CAST(DATE_TRUNC('YEAR', CAST("date_of_birth" AS TIMESTAMP(0))) AS DATE))) AS "birth_year", "household_key" AS "$sluice_customer_2"
FROM "retail"."households") AS "t"
LEFT JOIN (SELECT EXTRACT(YEAR FROM (CAST(DATE_TRUNC('YEAR', CAST("date_of_birth" AS TIMESTAMP(0))) AS DATE))) AS "birth_year", EXTRACT(YEAR FROM (CAST(DATE_TRUNC('YEAR', CAST("date_of_birth" AS TIMESTAMP(0))) AS DATE))) IS NULL OR COUNT(DISTINCT "household_key") < 25 AS "$sluice_small", COALESCE(SUM(CASE WHEN COUNT(DISTINCT "household_key") < 25 OR EXTRACT(YEAR FROM (CAST(DATE_TRUNC('YEAR', CAST("date_of_birth" AS TIMESTAMP(0))) AS DATE))) IS NULL THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) AS "$sluice_folded"
FROM "retail"."households"
GROUP BY EXTRACT(YEAR FROM (CAST(DATE_TRUNC('YEAR', CAST("date_of_birth" AS TIMESTAMP(0))) AS DATE)))) AS "t2" ON "t"."birth_year" = "t2"."birth_year"
GROUP BY CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."birth_year" END
ORDER BY 1;
