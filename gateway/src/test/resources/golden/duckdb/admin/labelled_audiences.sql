-- labelled_audiences as admin, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse lake
SELECT "audience", "customer_id"
FROM (SELECT 'bread' AS "audience", "household_key" AS "customer_id"
FROM "ml"."propensity"
WHERE "p_bread" >= 9E-1
UNION ALL
SELECT 'dairy' AS "audience", "household_key" AS "customer_id"
FROM "ml"."propensity"
WHERE "p_dairy" >= 9E-1)
ORDER BY "audience", "customer_id";
