-- top_products_per_category as ana, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `category`, `product_id`, `revenue`, `$sluice_folded_5` `$sluice_folded_groups`
FROM (SELECT `t7`.`$f4` `category`, `t7`.`$f5` `product_id`, CASE WHEN `t7`.`$sluice_customers` < 25 THEN NULL ELSE `t7`.`revenue` END `revenue`, ROW_NUMBER() OVER (PARTITION BY `t7`.`$f4` ORDER BY CASE WHEN `t7`.`$sluice_customers` < 25 THEN NULL ELSE `t7`.`revenue` END DESC NULLS FIRST, `t7`.`$f5` NULLS LAST) `rn`, COALESCE(`t7`.`$sluice_folded`, 0) `$sluice_folded_5`
FROM (SELECT CASE WHEN `t5`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t1`.`category` END `$f4`, CASE WHEN `t5`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t1`.`product_id` END `$f5`, SUM(`t1`.`amount`) `revenue`, COUNT(DISTINCT `t1`.`$sluice_customer_4`) `$sluice_customers`, MAX(`t5`.`$sluice_folded`) `$sluice_folded`
FROM (SELECT `t0`.`category`, `t0`.`product_id`, `t`.`amount`, `t`.`customer_id` `$sluice_customer_4`
FROM (SELECT `household_key` `customer_id`, `sku_id` `product_id`, `net_amount` `amount`
FROM `retail`.`transactions`) `t`
INNER JOIN (SELECT `sku_id` `product_id`, `category`
FROM `retail`.`skus`) `t0` ON `t`.`product_id` = `t0`.`product_id`) `t1`
LEFT JOIN (SELECT `t3`.`category`, `t3`.`product_id`, `t3`.`category` IS NULL OR `t3`.`product_id` IS NULL OR COUNT(DISTINCT `t2`.`customer_id`) < 25 `$sluice_small`, COALESCE(SUM(CASE WHEN COUNT(DISTINCT `t2`.`customer_id`) < 25 OR `t3`.`category` IS NULL OR `t3`.`product_id` IS NULL THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) `$sluice_folded`
FROM (SELECT `household_key` `customer_id`, `sku_id` `product_id`
FROM `retail`.`transactions`) `t2`
INNER JOIN (SELECT `sku_id` `product_id`, `category`
FROM `retail`.`skus`) `t3` ON `t2`.`product_id` = `t3`.`product_id`
GROUP BY `t3`.`product_id`, `t3`.`category`) `t5` ON `t1`.`category` = `t5`.`category` AND `t1`.`product_id` = `t5`.`product_id`
GROUP BY CASE WHEN `t5`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t1`.`category` END, CASE WHEN `t5`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t1`.`product_id` END) `t7`) `t8`
WHERE `rn` <= 3
ORDER BY `category` NULLS LAST, `rn` NULLS LAST;
