-- top_products_per_category as ana, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "category", "product_id", "revenue", "$sluice_folded_5" AS "$sluice_folded_groups"
FROM (SELECT "t7"."$f4" AS "category", "t7"."$f5" AS "product_id", CASE WHEN "t7"."$sluice_customers" < 25 THEN NULL ELSE "t7"."revenue" END AS "revenue", ROW_NUMBER() OVER (PARTITION BY "t7"."$f4" ORDER BY CASE WHEN "t7"."$sluice_customers" < 25 THEN NULL ELSE "t7"."revenue" END DESC, "t7"."$f5") AS "rn", COALESCE("t7"."$sluice_folded", 0) AS "$sluice_folded_5"
FROM (SELECT CASE WHEN "t5"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t1"."category" END AS "$f4", CASE WHEN "t5"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t1"."product_id" END AS "$f5", SUM("t1"."amount") AS "revenue", COUNT(DISTINCT "t1"."$sluice_customer_4") AS "$sluice_customers", MAX("t5"."$sluice_folded") AS "$sluice_folded"
FROM (SELECT "t0"."category", "t0"."product_id", "t"."amount", "t"."customer_id" AS "$sluice_customer_4"
FROM (SELECT "household_key" AS "customer_id", "sku_id" AS "product_id", "net_amount" AS "amount"
FROM "retail"."transactions") AS "t"
INNER JOIN (SELECT "sku_id" AS "product_id", "category"
FROM "retail"."skus") AS "t0" ON "t"."product_id" = "t0"."product_id") AS "t1"
LEFT JOIN (SELECT "t3"."category", "t3"."product_id", "t3"."category" IS NULL OR "t3"."product_id" IS NULL OR COUNT(DISTINCT "t2"."customer_id") < 25 AS "$sluice_small", COALESCE(SUM(CASE WHEN COUNT(DISTINCT "t2"."customer_id") < 25 OR "t3"."category" IS NULL OR "t3"."product_id" IS NULL THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) AS "$sluice_folded"
FROM (SELECT "household_key" AS "customer_id", "sku_id" AS "product_id"
FROM "retail"."transactions") AS "t2"
INNER JOIN (SELECT "sku_id" AS "product_id", "category"
FROM "retail"."skus") AS "t3" ON "t2"."product_id" = "t3"."product_id"
GROUP BY "t3"."product_id", "t3"."category") AS "t5" ON "t1"."category" = "t5"."category" AND "t1"."product_id" = "t5"."product_id"
GROUP BY CASE WHEN "t5"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t1"."category" END, CASE WHEN "t5"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t1"."product_id" END) AS "t7") AS "t8"
WHERE "rn" <= 3
ORDER BY "category", "rn";
