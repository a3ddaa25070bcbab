-- activation_export as max, redshift dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "household_key" AS "customer_id", (SHA2(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))), 256)) AS "email", (SHA2(LOWER(TRIM(BOTH ' ' FROM CAST("phone_number" AS VARCHAR))), 256)) AS "phone"
FROM "retail"."households"
ORDER BY "household_key";
