-- lapsed_high_value as admin, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "t0"."customer_id", "t0"."lifetime_value", MAX("t1"."purchased_at") AS "last_purchase"
FROM (SELECT "household_key" AS "customer_id", "ltv" AS "lifetime_value"
FROM "retail"."households"
WHERE "ltv" > 500.00) AS "t0"
INNER JOIN (SELECT "household_key" AS "customer_id", "txn_ts" AS "purchased_at"
FROM "retail"."transactions") AS "t1" ON "t0"."customer_id" = "t1"."customer_id"
GROUP BY "t0"."customer_id", "t0"."lifetime_value"
HAVING MAX("t1"."purchased_at") < TIMESTAMP '2026-03-01 00:00:00'
ORDER BY "t0"."customer_id";
