-- profile_lookup as max, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "household_key" AS "customer_id", (SHA256(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))))) AS "email", (SHA256(LOWER(TRIM(BOTH ' ' FROM CAST("phone_number" AS VARCHAR))))) AS "phone", "given_name" AS "first_name", (CASE WHEN "family_name" IS NULL THEN NULL WHEN LENGTH(CAST("family_name" AS VARCHAR)) <= 1 THEN '***' ELSE SUBSTRING(CAST("family_name" AS VARCHAR), 1, 1) || '***' || '' END) AS "last_name", (DATETRUNC('year', "date_of_birth")) AS "birth_date", "city", "region_code" AS "region", "country_code" AS "country", CAST(LOWER("tier") AS VARCHAR) AS "loyalty_tier", "created_at" AS "signup_at", "email_consent" AS "email_opt_in", "ads_consent" AS "ads_opt_in", "ltv" AS "lifetime_value"
FROM "retail"."households"
WHERE "household_key" = 42;
