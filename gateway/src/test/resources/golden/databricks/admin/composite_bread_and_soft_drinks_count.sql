-- composite_bread_and_soft_drinks_count as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse lake
SELECT COUNT(*) `audience_size`
FROM (SELECT `household_key` `customer_id`
FROM `ml`.`propensity`
WHERE `p_bread` >= 6.6E-1
INTERSECT
SELECT `household_key` `customer_id`
FROM `ml`.`propensity`
WHERE `p_soft_drinks` >= 3.3E-1 AND `p_soft_drinks` <= 6.6E-1) `t3`;
