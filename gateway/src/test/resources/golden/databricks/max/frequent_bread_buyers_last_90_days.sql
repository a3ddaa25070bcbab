-- frequent_bread_buyers_last_90_days as max, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `t0`.`customer_id`, COUNT(*) `bread_orders`
FROM (SELECT `household_key` `customer_id`, `sku_id` `product_id`, `txn_ts` `purchased_at`
FROM `retail`.`transactions`
WHERE `txn_ts` >= TIMESTAMP '2026-04-01 00:00:00' AND `txn_ts` < TIMESTAMP '2026-06-30 00:00:00') `t0`
INNER JOIN (SELECT `sku_id` `product_id`, `category`
FROM `retail`.`skus`
WHERE `category` = 'bread') `t2` ON `t0`.`product_id` = `t2`.`product_id`
GROUP BY `t0`.`customer_id`
HAVING COUNT(*) >= 3
ORDER BY 2 DESC NULLS FIRST, `t0`.`customer_id` NULLS LAST
LIMIT 500;
