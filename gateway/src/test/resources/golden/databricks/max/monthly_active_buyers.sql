-- monthly_active_buyers as max, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT EXTRACT(YEAR FROM `txn_ts`) `y`, EXTRACT(MONTH FROM `txn_ts`) `m`, COUNT(DISTINCT `household_key`) `buyers`
FROM `retail`.`transactions`
GROUP BY EXTRACT(YEAR FROM `txn_ts`), EXTRACT(MONTH FROM `txn_ts`)
ORDER BY 1 NULLS LAST, 2 NULLS LAST;
