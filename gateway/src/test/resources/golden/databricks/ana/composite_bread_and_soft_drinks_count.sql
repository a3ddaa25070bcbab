-- composite_bread_and_soft_drinks_count as ana, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse lake
SELECT CASE WHEN COUNT(DISTINCT `t3`.`customer_id`) < 25 THEN NULL ELSE COUNT(*) END `audience_size`, COALESCE(MAX(`t10`.`$sluice_folded`), 0) `$sluice_folded_groups`
FROM (SELECT `household_key` `customer_id`
FROM `ml`.`propensity`
WHERE `p_bread` >= 6.6E-1
INTERSECT
SELECT `household_key` `customer_id`
FROM `ml`.`propensity`
WHERE `p_soft_drinks` >= 3.3E-1 AND `p_soft_drinks` <= 6.6E-1) `t3`
LEFT JOIN (SELECT COALESCE(SUM(CASE WHEN COUNT(DISTINCT `customer_id`) < 25 THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) `$sluice_folded`
FROM (SELECT `household_key` `customer_id`
FROM `ml`.`propensity`
WHERE `p_bread` >= 6.6E-1
INTERSECT
SELECT `household_key` `customer_id`
FROM `ml`.`propensity`
WHERE `p_soft_drinks` >= 3.3E-1 AND `p_soft_drinks` <= 6.6E-1) `t8`) `t10` ON TRUE;
