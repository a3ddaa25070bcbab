-- email_domains as max, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT SUBSTRING((SHA2(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 256)), POSITION('@' IN (SHA2(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 256))) + 1) AS "domain", COUNT(*) AS "customers"
FROM "retail"."households"
GROUP BY SUBSTRING((SHA2(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 256)), POSITION('@' IN (SHA2(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 256))) + 1)
ORDER BY 2 DESC, 1
LIMIT 20;
