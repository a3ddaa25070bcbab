-- monthly_active_buyers as max, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `y`, `m`, COUNT(`customer_id`) `buyers`
FROM (SELECT EXTRACT(YEAR FROM `txn_ts`) `y`, EXTRACT(MONTH FROM `txn_ts`) `m`, `household_key` `customer_id`
FROM `retail`.`transactions`
GROUP BY EXTRACT(YEAR FROM `txn_ts`), EXTRACT(MONTH FROM `txn_ts`), `household_key`) `t0`
GROUP BY `y`, `m`
ORDER BY `y` NULLS LAST, `m` NULLS LAST;
