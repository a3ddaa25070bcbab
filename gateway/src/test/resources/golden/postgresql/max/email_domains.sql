-- email_domains as max, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT SUBSTRING((ENCODE(SHA256(CONVERT_TO(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 'UTF8')), 'hex')), POSITION('@' IN (ENCODE(SHA256(CONVERT_TO(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 'UTF8')), 'hex'))) + 1) AS "domain", COUNT(*) AS "customers"
FROM "retail"."households"
GROUP BY SUBSTRING((ENCODE(SHA256(CONVERT_TO(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 'UTF8')), 'hex')), POSITION('@' IN (ENCODE(SHA256(CONVERT_TO(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 'UTF8')), 'hex'))) + 1)
ORDER BY 2 DESC, 1
FETCH NEXT 20 ROWS ONLY;
