-- birth_year_bands as admin, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT EXTRACT(YEAR FROM "date_of_birth") AS "birth_year", COUNT(*) AS "customers"
FROM "retail"."households"
GROUP BY EXTRACT(YEAR FROM "date_of_birth")
ORDER BY 1;
