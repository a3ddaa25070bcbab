-- value_segments as admin, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT CASE WHEN "ltv" >= 1000.00 THEN 'vip' WHEN "ltv" >= 250.00 THEN 'regular' ELSE 'occasional' END AS "segment", COUNT(*) AS "customers"
FROM "retail"."households"
GROUP BY CASE WHEN "ltv" >= 1000.00 THEN 'vip' WHEN "ltv" >= 250.00 THEN 'regular' ELSE 'occasional' END
ORDER BY 1;
