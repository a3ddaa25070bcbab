-- birth_year_bands as max, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT EXTRACT(YEAR FROM (CAST(DATE_TRUNC('YEAR', CAST("date_of_birth" AS TIMESTAMP(0))) AS DATE))) AS "birth_year", COUNT(*) AS "customers"
FROM "retail"."households"
GROUP BY EXTRACT(YEAR FROM (CAST(DATE_TRUNC('YEAR', CAST("date_of_birth" AS TIMESTAMP(0))) AS DATE)))
ORDER BY 1;
