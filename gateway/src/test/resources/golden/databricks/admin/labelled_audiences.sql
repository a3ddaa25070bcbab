-- labelled_audiences as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse lake
SELECT `audience`, `customer_id`
FROM (SELECT 'bread' `audience`, `household_key` `customer_id`
FROM `ml`.`propensity`
WHERE `p_bread` >= 9E-1
UNION ALL
SELECT 'dairy' `audience`, `household_key` `customer_id`
FROM `ml`.`propensity`
WHERE `p_dairy` >= 9E-1)
ORDER BY `audience` NULLS LAST, `customer_id` NULLS LAST;
