-- rfm as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `household_key`, MAX(`txn_ts`) `last_purchase`, COUNT(*) `orders`, SUM(`net_amount`) `revenue`
FROM `retail`.`transactions`
GROUP BY `household_key`
ORDER BY 4 DESC NULLS FIRST, `household_key` NULLS LAST
LIMIT 1000;
