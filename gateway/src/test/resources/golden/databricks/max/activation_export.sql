-- activation_export as max, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `household_key` `customer_id`, (SHA2(LOWER(TRIM(CAST(`email_address` AS STRING))), 256)) `email`, (SHA2(LOWER(TRIM(CAST(`phone_number` AS STRING))), 256)) `phone`
FROM `retail`.`households`
ORDER BY `household_key` NULLS LAST;
