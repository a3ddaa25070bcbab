-- rfm as admin, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "household_key", MAX("txn_ts") AS "last_purchase", COUNT(*) AS "orders", SUM("net_amount") AS "revenue"
FROM "retail"."transactions"
GROUP BY "household_key"
ORDER BY 4 DESC NULLS FIRST, "household_key"
FETCH NEXT 1000 ROWS ONLY;
