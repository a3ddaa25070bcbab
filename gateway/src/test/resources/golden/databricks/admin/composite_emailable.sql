-- composite_emailable as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: federated
-- warehouse dw
SELECT `household_key` `customer_id`, `email_address` `email`, `given_name` `first_name`, `email_consent` `email_opt_in`
FROM `retail`.`households`
WHERE `email_consent`
ORDER BY `household_key` NULLS LAST;
-- warehouse lake
SELECT `household_key` `customer_id`, `p_bread` `bread`, `p_soft_drinks` `soft_drinks`
FROM `ml`.`propensity`
WHERE `p_bread` >= 6.6E-1 AND (`p_soft_drinks` >= 3.3E-1 AND `p_soft_drinks` <= 6.6E-1)
ORDER BY `household_key` NULLS LAST;
