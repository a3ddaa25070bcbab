-- product_count as ana, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT COUNT(*) AS "products"
FROM "retail"."skus";
