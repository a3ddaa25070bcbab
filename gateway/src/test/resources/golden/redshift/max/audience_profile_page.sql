-- audience_profile_page as max, redshift dialect; regenerate with -Dgolden.update=true
-- execution: federated
-- warehouse dw
SELECT "household_key" AS "customer_id", (SHA2(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 256)) AS "email", "given_name" AS "first_name", (CASE WHEN "family_name" IS NULL THEN NULL WHEN CHAR_LENGTH(CAST("family_name" AS VARCHAR)) <= 1 THEN '***' ELSE SUBSTRING(CAST("family_name" AS VARCHAR), 1, 1) || '***' || '' END) AS "last_name", CAST(LOWER("tier") AS VARCHAR) AS "loyalty_tier"
FROM "retail"."households"
ORDER BY "household_key";
-- warehouse lake
SELECT "household_key" AS "customer_id", "p_bread" AS "bread", "p_soft_drinks" AS "soft_drinks"
FROM "ml"."propensity"
WHERE "p_bread" >= 6.6E-1
ORDER BY "household_key";
