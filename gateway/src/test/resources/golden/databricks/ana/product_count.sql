-- product_count as ana, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT COUNT(*) `products`
FROM `retail`.`skus`;
