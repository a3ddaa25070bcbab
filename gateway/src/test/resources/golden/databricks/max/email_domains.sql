-- email_domains as max, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT SUBSTRING((SHA2(LOWER(TRIM(CAST(`email_address` AS STRING))), 256)), POSITION('@', (SHA2(LOWER(TRIM(CAST(`email_address` AS STRING))), 256))) + 1) `domain`, COUNT(*) `customers`
FROM `retail`.`households`
GROUP BY SUBSTRING((SHA2(LOWER(TRIM(CAST(`email_address` AS STRING))), 256)), POSITION('@', (SHA2(LOWER(TRIM(CAST(`email_address` AS STRING))), 256))) + 1)
ORDER BY 2 DESC NULLS FIRST, 1 NULLS LAST
LIMIT 20;
