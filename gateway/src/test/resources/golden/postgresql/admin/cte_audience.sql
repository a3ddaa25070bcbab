-- cte_audience as admin, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: federated
-- warehouse lake
SELECT "household_key" AS "customer_id"
FROM "ml"."propensity"
WHERE "p_bread" >= 6.6E-1
ORDER BY "household_key";
-- warehouse dw
SELECT "household_key" AS "customer_id"
FROM "retail"."households"
WHERE "email_consent"
ORDER BY "household_key";
