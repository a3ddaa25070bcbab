-- profile_lookup as admin, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "household_key" AS "customer_id", "email_address" AS "email", "phone_number" AS "phone", "given_name" AS "first_name", "family_name" AS "last_name", "date_of_birth" AS "birth_date", "city", "region_code" AS "region", "country_code" AS "country", CAST(LOWER("tier") AS VARCHAR) AS "loyalty_tier", "created_at" AS "signup_at", "email_consent" AS "email_opt_in", "ads_consent" AS "ads_opt_in", "ltv" AS "lifetime_value"
FROM "retail"."households"
WHERE "household_key" = 42;
