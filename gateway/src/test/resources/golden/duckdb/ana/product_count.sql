-- product_count as ana, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT COUNT(*) AS "products"
FROM "retail"."skus";
