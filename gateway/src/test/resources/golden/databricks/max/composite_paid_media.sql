-- composite_paid_media as max, databricks dialect; regenerate with -Dgolden.update=true
-- execution: federated
-- warehouse lake
SELECT `household_key` `customer_id`
FROM `ml`.`propensity`
WHERE `p_bread` >= 6.6E-1 AND (`p_soft_drinks` >= 3.3E-1 AND `p_soft_drinks` <= 6.6E-1);
-- warehouse dw
SELECT `household_key` `customer_id`
FROM `retail`.`households`
WHERE `email_consent`;
