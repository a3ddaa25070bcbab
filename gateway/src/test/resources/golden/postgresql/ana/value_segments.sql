-- value_segments as ana, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."segment" END AS "segment", CASE WHEN COUNT(DISTINCT "t"."$sluice_customer_2") < 25 THEN NULL ELSE COUNT(*) END AS "customers", COALESCE(MAX("t2"."$sluice_folded"), 0) AS "$sluice_folded_groups"
FROM (SELECT CASE WHEN "ltv" >= 1000.00 THEN 'vip' WHEN "ltv" >= 250.00 THEN 'regular' ELSE 'occasional' END AS "segment", "household_key" AS "$sluice_customer_2"
FROM "retail"."households") AS "t"
LEFT JOIN (SELECT CASE WHEN "ltv" >= 1000.00 THEN 'vip' WHEN "ltv" >= 250.00 THEN 'regular' ELSE 'occasional' END AS "segment", COUNT(DISTINCT "household_key") < 25 AS "$sluice_small", COALESCE(SUM(CASE WHEN COUNT(DISTINCT "household_key") < 25 THEN 1 ELSE 0 END) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), 0) AS "$sluice_folded"
FROM "retail"."households"
GROUP BY CASE WHEN "ltv" >= 1000.00 THEN 'vip' WHEN "ltv" >= 250.00 THEN 'regular' ELSE 'occasional' END) AS "t2" ON "t"."segment" = "t2"."segment"
GROUP BY CASE WHEN "t2"."$sluice_small" IS NOT FALSE THEN NULL ELSE "t"."segment" END
ORDER BY 1;
