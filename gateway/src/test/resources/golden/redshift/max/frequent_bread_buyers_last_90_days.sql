-- frequent_bread_buyers_last_90_days as max, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "t0"."customer_id", COUNT(*) AS "bread_orders"
FROM (SELECT "household_key" AS "customer_id", "sku_id" AS "product_id", "txn_ts" AS "purchased_at"
FROM "retail"."transactions"
WHERE "txn_ts" >= TIMESTAMP '2026-04-01 00:00:00' AND "txn_ts" < TIMESTAMP '2026-06-30 00:00:00') AS "t0"
INNER JOIN (SELECT "sku_id" AS "product_id", "category"
FROM "retail"."skus"
WHERE "category" = 'bread') AS "t2" ON "t0"."product_id" = "t2"."product_id"
GROUP BY "t0"."customer_id"
HAVING COUNT(*) >= 3
ORDER BY 2 DESC, "t0"."customer_id"
LIMIT 500;
