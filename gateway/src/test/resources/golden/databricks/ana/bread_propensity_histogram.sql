-- bread_propensity_histogram as ana, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse lake
SELECT CASE WHEN `t2`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t`.`bucket` END `bucket`, CASE WHEN COUNT(DISTINCT `t`.`$sluice_customer_2`) < 25 THEN NULL ELSE COUNT(*) END `customers`, COALESCE(MAX(`t2`.`$sluice_folded`), 0) `$sluice_folded_groups`
FROM (SELECT FLOOR(`p_bread` * 10) / 10 `bucket`, `household_key` `$sluice_customer_2`
FROM `ml`.`propensity`) `t`
LEFT JOIN (SELECT FLOOR(`p_bread` * 10) / 10 `bucket`, FLOOR(`p_bread` * 10) / 10 IS NULL OR COUNT(DISTINCT `household_key`) < 25 `$sluice_small`, COALESCE(SUM(CASE WHEN COUNT(DISTINCT `household_key`) < 25 OR FLOOR(`p_bread` * 10) / 10 IS NULL THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) `$sluice_folded`
FROM `ml`.`propensity`
GROUP BY FLOOR(`p_bread` * 10) / 10) `t2` ON `t`.`bucket` = `t2`.`bucket`
GROUP BY CASE WHEN `t2`.`$sluice_small` IS NOT FALSE THEN NULL ELSE `t`.`bucket` END
ORDER BY 1 NULLS LAST;
