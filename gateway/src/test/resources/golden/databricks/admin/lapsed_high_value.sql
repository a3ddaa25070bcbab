-- lapsed_high_value as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `t0`.`customer_id`, `t0`.`lifetime_value`, MAX(`t1`.`purchased_at`) `last_purchase`
FROM (SELECT `household_key` `customer_id`, `ltv` `lifetime_value`
FROM `retail`.`households`
WHERE `ltv` > 500.00) `t0`
INNER JOIN (SELECT `household_key` `customer_id`, `txn_ts` `purchased_at`
FROM `retail`.`transactions`) `t1` ON `t0`.`customer_id` = `t1`.`customer_id`
GROUP BY `t0`.`customer_id`, `t0`.`lifetime_value`
HAVING MAX(`t1`.`purchased_at`) < TIMESTAMP '2026-03-01 00:00:00'
ORDER BY `t0`.`customer_id` NULLS LAST;
