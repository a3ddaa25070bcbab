-- profile_lookup as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `household_key` `customer_id`, `email_address` `email`, `phone_number` `phone`, `given_name` `first_name`, `family_name` `last_name`, `date_of_birth` `birth_date`, `city`, `region_code` `region`, `country_code` `country`, CAST(LOWER(`tier`) AS STRING) `loyalty_tier`, `created_at` `signup_at`, `email_consent` `email_opt_in`, `ads_consent` `ads_opt_in`, `ltv` `lifetime_value`
FROM `retail`.`households`
WHERE `household_key` = 42;
