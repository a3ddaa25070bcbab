-- email_domains as max, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT SUBSTRING((SHA256(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))))), POSITION('@' IN (SHA256(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR)))))) + 1) AS "domain", COUNT(*) AS "customers"
FROM "retail"."households"
GROUP BY SUBSTRING((SHA256(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))))), POSITION('@' IN (SHA256(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR)))))) + 1)
ORDER BY 2 DESC NULLS FIRST, 1
FETCH NEXT 20 ROWS ONLY;
