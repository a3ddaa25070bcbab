-- monthly_active_buyers as admin, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT EXTRACT(YEAR FROM "txn_ts") AS "y", EXTRACT(MONTH FROM "txn_ts") AS "m", COUNT(DISTINCT "household_key") AS "buyers"
FROM "retail"."transactions"
GROUP BY EXTRACT(YEAR FROM "txn_ts"), EXTRACT(MONTH FROM "txn_ts")
ORDER BY 1, 2;
