-- birth_year_bands as max, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT EXTRACT(YEAR FROM (CAST(DATE_TRUNC('YEAR', CAST(`date_of_birth` AS TIMESTAMP)) AS DATE))) `birth_year`, COUNT(*) `customers`
FROM `retail`.`households`
GROUP BY EXTRACT(YEAR FROM (CAST(DATE_TRUNC('YEAR', CAST(`date_of_birth` AS TIMESTAMP)) AS DATE)))
ORDER BY 1 NULLS LAST;
