-- size_by_region_and_tier as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `region_code` `region`, CAST(LOWER(`tier`) AS STRING) `loyalty_tier`, COUNT(*) `customers`
FROM `retail`.`households`
GROUP BY `region_code`, CAST(LOWER(`tier`) AS STRING)
ORDER BY `region_code` NULLS LAST, 2 NULLS LAST;
