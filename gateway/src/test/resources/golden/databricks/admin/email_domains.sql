-- email_domains as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT SUBSTRING(`email_address`, POSITION('@', `email_address`) + 1) `domain`, COUNT(*) `customers`
FROM `retail`.`households`
GROUP BY SUBSTRING(`email_address`, POSITION('@', `email_address`) + 1)
ORDER BY 2 DESC NULLS FIRST, 1 NULLS LAST
LIMIT 20;
