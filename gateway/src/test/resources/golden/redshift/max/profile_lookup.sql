-- profile_lookup as max, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "household_key" AS "customer_id", (SHA2(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 256)) AS "email", (SHA2(LOWER(TRIM(BOTH ' ' FROM CAST("phone_number" AS VARCHAR))), 256)) AS "phone", "given_name" AS "first_name", (CASE WHEN "family_name" IS NULL THEN NULL WHEN CHAR_LENGTH(CAST("family_name" AS VARCHAR)) <= 1 THEN '***' ELSE SUBSTRING(CAST("family_name" AS VARCHAR), 1, 1) || '***' || '' END) AS "last_name", (CAST(DATE_TRUNC('YEAR', CAST("date_of_birth" AS TIMESTAMP(0))) AS DATE)) AS "birth_date", "city", "region_code" AS "region", "country_code" AS "country", CAST(LOWER("tier") AS VARCHAR) AS "loyalty_tier", "created_at" AS "signup_at", "email_consent" AS "email_opt_in", "ads_consent" AS "ads_opt_in", "ltv" AS "lifetime_value"
FROM "retail"."households"
WHERE "household_key" = 42;
