-- web_converted_never_in_store as max, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: federated
-- warehouse lake
SELECT "household_key" AS "customer_id", "converted"
FROM "web"."sessions"
WHERE "converted"
ORDER BY "household_key";
-- warehouse dw
SELECT "household_key" AS "customer_id", TRUE AS "$f1"
FROM "retail"."transactions"
WHERE CAST("channel" AS VARCHAR(5)) = 'store' AND "household_key" IS NOT NULL
GROUP BY "household_key"
ORDER BY "household_key";
