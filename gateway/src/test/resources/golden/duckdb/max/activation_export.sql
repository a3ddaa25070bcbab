-- activation_export as max, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "household_key" AS "customer_id", (SHA256(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))))) AS "email", (SHA256(LOWER(TRIM(BOTH ' ' FROM CAST("phone_number" AS VARCHAR))))) AS "phone"
FROM "retail"."households"
ORDER BY "household_key";
