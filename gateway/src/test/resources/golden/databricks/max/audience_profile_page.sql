-- audience_profile_page as max, databricks dialect; regenerate with -Dgolden.update=true
-- execution: federated
-- warehouse dw
SELECT `household_key` `customer_id`, (SHA2(LOWER(TRIM(CAST(`email_address` AS STRING))), 256)) `email`, `given_name` `first_name`, (CASE WHEN `family_name` IS NULL THEN NULL WHEN CHAR_LENGTH(CAST(`family_name` AS STRING)) <= 1 THEN '***' ELSE SUBSTRING(CAST(`family_name` AS STRING), 1, 1) || '***' || '' END) `last_name`, CAST(LOWER(`tier`) AS STRING) `loyalty_tier`
FROM `retail`.`households`
ORDER BY `household_key` NULLS LAST;
-- warehouse lake
SELECT `household_key` `customer_id`, `p_bread` `bread`, `p_soft_drinks` `soft_drinks`
FROM `ml`.`propensity`
WHERE `p_bread` >= 6.6E-1
ORDER BY `household_key` NULLS LAST;
