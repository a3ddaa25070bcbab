-- profile_lookup_param as max, duckdb dialect; regenerate with -Dgolden.update=true
-- execution: whole pushdown
-- warehouse dw, parameters [0]
SELECT "household_key" AS "customer_id", (SHA256(LOWER(TRIM(BOTH ' ' FROM CAST("email_address" AS VARCHAR))))) AS "email", CAST(LOWER("tier") AS VARCHAR) AS "loyalty_tier", "ltv" AS "lifetime_value"
FROM "retail"."households"
WHERE "household_key" = ?;
