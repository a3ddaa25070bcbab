-- bread_propensity_histogram as max, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse lake
SELECT FLOOR("p_bread" * 10) / 10 AS "bucket", COUNT(*) AS "customers"
FROM "ml"."propensity"
GROUP BY FLOOR("p_bread" * 10) / 10
ORDER BY 1;
