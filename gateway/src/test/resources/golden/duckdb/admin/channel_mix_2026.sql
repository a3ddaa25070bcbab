-- channel_mix_2026 as admin, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "channel", COUNT(DISTINCT "household_key") AS "buyers", SUM("net_amount") AS "revenue"
FROM "retail"."transactions"
WHERE "txn_ts" >= TIMESTAMP '2026-01-01 00:00:00'
GROUP BY "channel"
ORDER BY "channel";
