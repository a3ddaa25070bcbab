-- activation_export as max, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "household_key" AS "customer_id", (ENCODE(SHA256(CONVERT_TO(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 'UTF8')), 'hex')) AS "email", (ENCODE(SHA256(CONVERT_TO(LOWER(TRIM(BOTH ' ' FROM CAST("phone_number" AS VARCHAR))), 'UTF8')), 'hex')) AS "phone"
FROM "retail"."households"
ORDER BY "household_key";
