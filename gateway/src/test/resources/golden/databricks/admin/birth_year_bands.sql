-- birth_year_bands as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT EXTRACT(YEAR FROM `date_of_birth`) `birth_year`, COUNT(*) `customers`
FROM `retail`.`households`
GROUP BY EXTRACT(YEAR FROM `date_of_birth`)
ORDER BY 1 NULLS LAST;
