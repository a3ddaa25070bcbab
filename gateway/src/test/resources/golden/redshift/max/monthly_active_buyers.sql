-- monthly_active_buyers as max, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "y", "m", COUNT("customer_id") AS "buyers"
FROM (SELECT EXTRACT(YEAR FROM "txn_ts") AS "y", EXTRACT(MONTH FROM "txn_ts") AS "m", "household_key" AS "customer_id"
FROM "retail"."transactions"
GROUP BY EXTRACT(YEAR FROM "txn_ts"), EXTRACT(MONTH FROM "txn_ts"), "household_key") AS "t0"
GROUP BY "y", "m"
ORDER BY "y", "m";
