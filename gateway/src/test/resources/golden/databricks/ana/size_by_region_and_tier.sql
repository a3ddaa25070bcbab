-- size_by_region_and_tier as ana, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT CASE WHEN `t2`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t`.`region` END `region`, CASE WHEN `t2`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t`.`loyalty_tier` END `loyalty_tier`, CASE WHEN COUNT(DISTINCT `t`.`$sluice_customer_3`) < 25 THEN NULL ELSE COUNT(*) END `customers`, COALESCE(MAX(`t2`.`$sluice_folded`), 0) `$sluice_folded_groups`
FROM (SELECT `region_code` `region`, CAST(LOWER(`tier`) AS STRING) `loyalty_tier`, `household_key` `$sluice_customer_3`
FROM `retail`.`households`) `t`
LEFT JOIN (SELECT `region_code` `region`, CAST(LOWER(`tier`) AS STRING) `loyalty_tier`, `region_code` IS NULL OR CAST(LOWER(`tier`) AS STRING) IS NULL OR COUNT(DISTINCT `household_key`) < 25 `$sluice_small`, COALESCE(SUM(CASE WHEN COUNT(DISTINCT `household_key`) < 25 OR `region_code` IS NULL OR CAST(LOWER(`tier`) AS STRING) IS NULL THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) `$sluice_folded`
FROM `retail`.`households`
GROUP BY `region_code`, CAST(LOWER(`tier`) AS STRING)) `t2` ON `t`.`region` = `t2`.`region` AND `t`.`loyalty_tier` = `t2`.`loyalty_tier`
GROUP BY CASE WHEN `t2`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t`.`region` END, CASE WHEN `t2`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t`.`loyalty_tier` END
ORDER BY 1 NULLS LAST, 2 NULLS LAST;
