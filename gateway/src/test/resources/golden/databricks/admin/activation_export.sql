-- activation_export as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `household_key` `customer_id`, `email_address` `email`, `phone_number` `phone`
FROM `retail`.`households`
ORDER BY `household_key` NULLS LAST;
