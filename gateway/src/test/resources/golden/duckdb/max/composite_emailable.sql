-- composite_emailable as max, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: federated
-- warehouse dw
SELECT "household_key" AS "customer_id", (SHA256(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))))) AS "email", "given_name" AS "first_name", "email_consent" AS "email_opt_in"
FROM "retail"."households"
WHERE "email_consent"
ORDER BY "household_key";
-- warehouse lake
SELECT "household_key" AS "customer_id", "p_bread" AS "bread", "p_soft_drinks" AS "soft_drinks"
FROM "ml"."propensity"
WHERE "p_bread" >= 6.6E-1 AND ("p_soft_drinks" >= 3.3E-1 AND "p_soft_drinks" <= 6.6E-1)
ORDER BY "household_key";
