-- audience_profile_page as admin, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: federated
-- warehouse dw
SELECT "household_key" AS "customer_id", "email_address" AS "email", "given_name" AS "first_name", "family_name" AS "last_name", CAST(LOWER("tier") AS VARCHAR) AS "loyalty_tier"
FROM "retail"."households"
ORDER BY "household_key";
-- warehouse lake
SELECT "household_key" AS "customer_id", "p_bread" AS "bread", "p_soft_drinks" AS "soft_drinks"
FROM "ml"."propensity"
WHERE "p_bread" >= 6.6E-1
ORDER BY "household_key";
