-- city_prefix as admin, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "city", COUNT(*) AS "customers"
FROM "retail"."households"
WHERE "city" LIKE 'San%'
GROUP BY "city"
ORDER BY "city";
