-- top_products_per_category as admin, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "category", "product_id", "revenue"
FROM (SELECT "t0"."category", "t0"."product_id", SUM("t"."amount") AS "revenue", ROW_NUMBER() OVER (PARTITION BY "t0"."category" ORDER BY SUM("t"."amount") DESC, "t0"."product_id") AS "rn"
FROM (SELECT "sku_id" AS "product_id", "net_amount" AS "amount"
FROM "retail"."transactions") AS "t"
INNER JOIN (SELECT "sku_id" AS "product_id", "category"
FROM "retail"."skus") AS "t0" ON "t"."product_id" = "t0"."product_id"
GROUP BY "t0"."product_id", "t0"."category") AS "t2"
WHERE "t2"."rn" <= 3
ORDER BY "category", "rn";
