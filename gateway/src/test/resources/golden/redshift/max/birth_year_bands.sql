-- birth_year_bands as max, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT EXTRACT(YEAR FROM (FLOOR("date_of_birth" TO YEAR))) AS "birth_year", COUNT(*) AS "customers"
FROM "retail"."households"
GROUP BY EXTRACT(YEAR FROM (FLOOR("date_of_birth" TO YEAR)))
ORDER BY 1;
