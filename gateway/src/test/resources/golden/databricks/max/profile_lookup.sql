-- profile_lookup as max, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `household_key` `customer_id`, (SHA2(LOWER(TRIM(CAST(`email_address` AS STRING))), 256)) `email`, (SHA2(LOWER(TRIM(CAST(`phone_number` AS STRING))), 256)) `phone`, `given_name` `first_name`, (CASE WHEN `family_name` IS NULL THEN NULL WHEN CHAR_LENGTH(CAST(`family_name` AS STRING)) <= 1 THEN '***' ELSE SUBSTRING(CAST(`family_name` AS STRING), 1, 1) || '***' || '' END) `last_name`, (CAST(DATE_TRUNC('YEAR', CAST(`date_of_birth` AS TIMESTAMP)) AS DATE)) `birth_date`, `city`, `region_code` `region`, `country_code` `country`, CAST(LOWER(`tier`) AS STRING) `loyalty_tier`, `created_at` `signup_at`, `email_consent` `email_opt_in`, `ads_consent` `ads_opt_in`, `ltv` `lifetime_value`
FROM `retail`.`households`
WHERE `household_key` = 42;
