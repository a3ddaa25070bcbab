-- profile_lookup_param as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw, parameters [0]
SELECT `household_key` `customer_id`, `email_address` `email`, CAST(LOWER(`tier`) AS STRING) `loyalty_tier`, `ltv` `lifetime_value`
FROM `retail`.`households`
WHERE `household_key` = ?;
