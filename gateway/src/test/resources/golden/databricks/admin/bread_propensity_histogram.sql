-- bread_propensity_histogram as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse lake
SELECT FLOOR(`p_bread` * 10) / 10 `bucket`, COUNT(*) `customers`
FROM `ml`.`propensity`
GROUP BY FLOOR(`p_bread` * 10) / 10
ORDER BY 1 NULLS LAST;
