-- high_bread_propensity as max, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse lake
SELECT "household_key" AS "customer_id"
FROM "ml"."propensity"
WHERE "p_bread" >= 6.6E-1;
