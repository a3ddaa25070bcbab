-- email_domains as admin, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT SUBSTRING("email_address", POSITION('@' IN "email_address") + 1) AS "domain", COUNT(*) AS "customers"
FROM "retail"."households"
GROUP BY SUBSTRING("email_address", POSITION('@' IN "email_address") + 1)
ORDER BY 2 DESC, 1
FETCH NEXT 20 ROWS ONLY;
