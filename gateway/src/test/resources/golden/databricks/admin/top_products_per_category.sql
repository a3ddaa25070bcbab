-- top_products_per_category as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `category`, `product_id`, `revenue`
FROM (SELECT `t0`.`category`, `t0`.`product_id`, SUM(`t`.`amount`) `revenue`, ROW_NUMBER() OVER (PARTITION BY `t0`.`category` ORDER BY SUM(`t`.`amount`) DESC NULLS FIRST, `t0`.`product_id` NULLS LAST) `rn`
FROM (SELECT `sku_id` `product_id`, `net_amount` `amount`
FROM `retail`.`transactions`) `t`
INNER JOIN (SELECT `sku_id` `product_id`, `category`
FROM `retail`.`skus`) `t0` ON `t`.`product_id` = `t0`.`product_id`
GROUP BY `t0`.`product_id`, `t0`.`category`) `t2`
WHERE `t2`.`rn` <= 3
ORDER BY `category` NULLS LAST, `rn` NULLS LAST;
