-- value_segments as ana, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT CASE WHEN `t2`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t`.`segment` END `segment`, CASE WHEN COUNT(DISTINCT `t`.`$sluice_customer_2`) < 25 THEN NULL ELSE COUNT(*) END `customers`, COALESCE(MAX(`t2`.`$sluice_folded`), 0) `$sluice_folded_groups`
FROM (SELECT CASE WHEN `ltv` >= 1000.00 THEN 'vip' WHEN `ltv` >= 250.00 THEN 'regular' ELSE 'occasional' END `segment`, `household_key` `$sluice_customer_2`
FROM `retail`.`households`) `t`
LEFT JOIN (SELECT CASE WHEN `ltv` >= 1000.00 THEN 'vip' WHEN `ltv` >= 250.00 THEN 'regular' ELSE 'occasional' END `segment`, COUNT(DISTINCT `household_key`) < 25 `$sluice_small`, COALESCE(SUM(CASE WHEN COUNT(DISTINCT `household_key`) < 25 THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) `$sluice_folded`
FROM `retail`.`households`
GROUP BY CASE WHEN `ltv` >= 1000.00 THEN 'vip' WHEN `ltv` >= 250.00 THEN 'regular' ELSE 'occasional' END) `t2` ON `t`.`segment` = `t2`.`segment`
GROUP BY CASE WHEN `t2`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t`.`segment` END
ORDER BY 1 NULLS LAST;
