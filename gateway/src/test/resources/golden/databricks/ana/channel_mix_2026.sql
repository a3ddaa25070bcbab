-- channel_mix_2026 as ana, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `t6`.`$f3` `channel`, CASE WHEN `t6`.`buyers` < 25 THEN NULL ELSE `t6`.`buyers` END `buyers`, CASE WHEN `t6`.`buyers` < 25 THEN NULL ELSE `t6`.`revenue` END `revenue`, COALESCE(`t6`.`$sluice_folded`, 0) `$sluice_folded_groups`
FROM (SELECT CASE WHEN `t3`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t0`.`channel` END `$f3`, COUNT(DISTINCT `t0`.`customer_id`) `buyers`, SUM(`t0`.`amount`) `revenue`, MAX(`t3`.`$sluice_folded`) `$sluice_folded`
FROM (SELECT `channel`, `household_key` `customer_id`, `net_amount` `amount`
FROM `retail`.`transactions`
WHERE `txn_ts` >= TIMESTAMP '2026-01-01 00:00:00') `t0`
LEFT JOIN (SELECT `channel`, `channel` IS NULL OR COUNT(DISTINCT `household_key`) < 25 `$sluice_small`, COALESCE(SUM(CASE WHEN COUNT(DISTINCT `household_key`) < 25 OR `channel` IS NULL THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) `$sluice_folded`
FROM `retail`.`transactions`
WHERE `txn_ts` >= TIMESTAMP '2026-01-01 00:00:00'
GROUP BY `channel`) `t3` ON `t0`.`channel` = `t3`.`channel`
GROUP BY CASE WHEN `t3`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t0`.`channel` END
ORDER BY 1 NULLS LAST) `t6`;
