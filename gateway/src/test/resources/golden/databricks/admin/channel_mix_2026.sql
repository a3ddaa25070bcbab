-- channel_mix_2026 as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT `channel`, COUNT(DISTINCT `household_key`) `buyers`, SUM(`net_amount`) `revenue`
FROM `retail`.`transactions`
WHERE `txn_ts` >= TIMESTAMP '2026-01-01 00:00:00'
GROUP BY `channel`
ORDER BY `channel` NULLS LAST;
