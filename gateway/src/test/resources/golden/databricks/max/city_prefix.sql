-- city_prefix as max, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `city`, COUNT(*) `customers`
FROM `retail`.`households`
WHERE `city` LIKE 'San%'
GROUP BY `city`
ORDER BY `city` NULLS LAST;
