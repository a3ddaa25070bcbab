-- audience_profile_page as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: federated
-- warehouse dw
SELECT `household_key` `customer_id`, `email_address` `email`, `given_name` `first_name`, `family_name` `last_name`, CAST(LOWER(`tier`) AS STRING) `loyalty_tier`
FROM `retail`.`households`
ORDER BY `household_key` NULLS LAST;
-- warehouse lake
SELECT `household_key` `customer_id`, `p_bread` `bread`, `p_soft_drinks` `soft_drinks`
FROM `ml`.`propensity`
WHERE `p_bread` >= 6.6E-1
ORDER BY `household_key` NULLS LAST;
