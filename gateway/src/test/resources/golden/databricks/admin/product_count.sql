-- product_count as admin, databricks dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT COUNT(*) `products`
FROM `retail`.`skus`;
