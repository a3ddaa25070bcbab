-- activation_export as admin, postgresql dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw
SELECT "household_key" AS "customer_id", "email_address" AS "email", "phone_number" AS "phone"
FROM "retail"."households"
ORDER BY "household_key";
