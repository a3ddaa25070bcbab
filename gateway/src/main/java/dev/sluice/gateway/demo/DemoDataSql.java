package dev.sluice.gateway.demo;

import java.util.List;

/**
 * The DuckDB statements that fill the demo warehouses. Every value is a function of a row id,
 * a salt and the seed (through {@code hash}), never of {@code random()} or of which thread wrote
 * the row, so the same (customers, seed) gives the same data on every run.
 *
 * <p>The statements run on one connection to {@code dw}, with {@code lake} attached.
 */
final class DemoDataSql {
  /** Bump when the generated data changes, so existing demo files are regenerated. */
  static final int FORMAT_VERSION = 1;

  private DemoDataSql() {}

  static List<String> statements(long customers, long seed) {
    return List.of(
        // u(): uniform in [0, 1) from the top 53 bits of a seeded hash; h(): the hash itself.
        "CREATE TEMP MACRO h(k, salt) AS hash(k, salt, CAST(" + seed + " AS BIGINT))",
        "CREATE TEMP MACRO u(k, salt) AS (h(k, salt) >> 11) / 9007199254740992.0",
        "CREATE TEMP MACRO pick(list, k, salt) AS list[1 + CAST(h(k, salt) % len(list) AS INTEGER)]",
        CITIES,
        "CREATE SCHEMA retail",
        SKUS,
        households(customers),
        TRANSACTIONS,
        "CREATE SCHEMA lake.ml",
        PROPENSITY,
        "CREATE SCHEMA lake.web",
        SESSIONS);
  }

  // Region shares come from how many cities each region has (EU 14, NA 9, APAC 8, LATAM 7);
  // each city carries its country and the country's dialling code.
  private static final String CITIES =
      """
      CREATE TEMP TABLE cities AS
      SELECT row_number() OVER () AS city_no, * FROM (VALUES
        ('EU', 'DE', '49', 'Berlin'), ('EU', 'DE', '49', 'Munich'), ('EU', 'DE', '49', 'Hamburg'),
        ('EU', 'FR', '33', 'Paris'), ('EU', 'FR', '33', 'Lyon'),
        ('EU', 'ES', '34', 'Madrid'), ('EU', 'ES', '34', 'Barcelona'),
        ('EU', 'ES', '34', 'San Sebastián'), ('EU', 'IT', '39', 'Rome'), ('EU', 'IT', '39', 'Milan'),
        ('EU', 'NL', '31', 'Amsterdam'), ('EU', 'SE', '46', 'Stockholm'),
        ('EU', 'PL', '48', 'Warsaw'), ('EU', 'IE', '353', 'Dublin'),
        ('NA', 'US', '1', 'New York'), ('NA', 'US', '1', 'Chicago'),
        ('NA', 'US', '1', 'San Francisco'), ('NA', 'US', '1', 'San Diego'),
        ('NA', 'US', '1', 'San Jose'), ('NA', 'US', '1', 'Seattle'), ('NA', 'US', '1', 'Austin'),
        ('NA', 'CA', '1', 'Toronto'), ('NA', 'CA', '1', 'Vancouver'),
        ('APAC', 'JP', '81', 'Tokyo'), ('APAC', 'JP', '81', 'Osaka'),
        ('APAC', 'AU', '61', 'Sydney'), ('APAC', 'AU', '61', 'Melbourne'),
        ('APAC', 'SG', '65', 'Singapore'), ('APAC', 'IN', '91', 'Mumbai'),
        ('APAC', 'IN', '91', 'Bengaluru'), ('APAC', 'KR', '82', 'Seoul'),
        ('LATAM', 'BR', '55', 'São Paulo'), ('LATAM', 'BR', '55', 'Santos'),
        ('LATAM', 'AR', '54', 'Buenos Aires'), ('LATAM', 'CL', '56', 'Santiago'),
        ('LATAM', 'CO', '57', 'Bogotá'), ('LATAM', 'MX', '52', 'Mexico City'),
        ('LATAM', 'MX', '52', 'Guadalajara')
      ) AS c(region_code, country_code, dial_code, city)
      """;

  private static final String SKUS =
      """
      CREATE TABLE retail.skus AS
      WITH s AS (
        SELECT sku_id,
               pick(['bread', 'soft_drinks', 'dairy', 'produce', 'snacks', 'frozen'], sku_id, 'category') AS category,
               pick(['Alder', 'Birchwood', 'Cobalt', 'Dunmore', 'Evergreen', 'Fairfield', 'Goldleaf',
                     'Harbor', 'Ironbark', 'Juniper', 'Kestrel', 'Lakeside'], sku_id, 'brand') AS brand
        FROM range(1, 2001) AS r(sku_id))
      SELECT sku_id,
             brand || ' ' || replace(category, '_', ' ') || ' #' || sku_id AS sku_name,
             category,
             brand,
             CAST(0.49 + (h(sku_id, 'price') % 1950) / 100.0 AS DECIMAL(10, 2)) AS list_price
      FROM s
      ORDER BY sku_id
      """;

  private static String households(long customers) {
    return """
        CREATE TABLE retail.households AS
        WITH k AS (
          SELECT household_key,
                 pick(['Anna', 'Ben', 'Chloe', 'David', 'Elena', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jonas',
                       'Kenji', 'Lea', 'Mateo', 'Nora', 'Oscar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tara',
                       'Umar', 'Vera', 'Wei', 'Ximena', 'Yuki', 'Zoe'], household_key, 'given') AS given_name,
                 pick(['Smith', 'Muller', 'Garcia', 'Rossi', 'Dubois', 'Jansen', 'Nowak', 'Silva', 'Tanaka',
                       'Kim', 'Patel', 'Murphy', 'Andersson', 'Lopez', 'Schmidt', 'Martin', 'Brown', 'Costa',
                       'Sato', 'Novak', 'Walsh', 'Moreau', 'Fischer', 'Romero'], household_key, 'family') AS family_name,
                 1 + CAST(h(household_key, 'city') % (SELECT count(*) FROM cities) AS BIGINT) AS city_no,
                 pick(['gmail.com', 'yahoo.com', 'outlook.com', 'web.de', 'gmx.de', 'orange.fr', 'icloud.com',
                       'proton.me', 'example.org', 'hotmail.com'], household_key, 'domain') AS domain,
                 u(household_key, 'email_case') AS email_case,
                 u(household_key, 'email_space') AS email_space
          FROM range(1, {customers} + 1) AS r(household_key)),
        e AS (
          SELECT *, lower(given_name) || '.' || lower(family_name) || household_key || '@' || domain AS email
          FROM k)
        SELECT e.household_key,
               -- Masks trim and lower-case: some addresses need it.
               CASE WHEN email_space < 0.01 THEN ' ' || cased WHEN email_space < 0.02 THEN cased || ' '
                    ELSE cased END AS email_address,
               CASE WHEN u(e.household_key, 'phone_null') < 0.1 THEN NULL
                    ELSE '+' || c.dial_code || (1000000000 + h(e.household_key, 'phone') % 9000000000) END
                 AS phone_number,
               given_name,
               family_name,
               -- 1940-01-01 plus up to 24471 days ends on 2006-12-31.
               DATE '1940-01-01' + CAST(h(e.household_key, 'birth') % 24472 AS INTEGER) AS date_of_birth,
               c.city,
               c.region_code,
               c.country_code,
               CASE WHEN u(e.household_key, 'tier') < 0.55 THEN 'BRONZE'
                    WHEN u(e.household_key, 'tier') < 0.80 THEN 'SILVER'
                    WHEN u(e.household_key, 'tier') < 0.95 THEN 'GOLD'
                    ELSE 'PLATINUM' END AS tier,
               -- Seven years of seconds (2018-01-01 .. 2024-12-31 23:59:59), microseconds on 30%.
               TIMESTAMP '2018-01-01 00:00:00'
                 + to_microseconds(CAST(h(e.household_key, 'signup') % 220924800 AS BIGINT) * 1000000
                   + CASE WHEN u(e.household_key, 'signup_us') < 0.3
                          THEN CAST(h(e.household_key, 'signup_us') % 1000000 AS BIGINT) ELSE 0 END)
                 AS created_at,
               u(e.household_key, 'email_consent') < 0.60 AS email_consent,
               u(e.household_key, 'ads_consent') < 0.45 AS ads_consent,
               -- Exponential with mean 350: about half below 250, about 6% above 1000.
               CAST(least(5000, -ln(1 - u(e.household_key, 'ltv')) * 350) AS DECIMAL(12, 2)) AS ltv
        FROM (SELECT *, CASE WHEN email_case < 0.03 THEN upper(email[1]) || email[2:]
                             WHEN email_case < 0.05 THEN upper(email) ELSE email END AS cased
              FROM e) AS e
        JOIN cities AS c USING (city_no)
        ORDER BY e.household_key
        """
        .replace("{customers}", Long.toString(customers));
  }

  // Per household 0..40 purchases, 3% none; txn_id = household_key * 64 + n stays unique.
  private static final String TRANSACTIONS =
      """
      CREATE TABLE retail.transactions AS
      WITH n AS (
        SELECT household_key,
               CASE WHEN u(household_key, 'no_txn') < 0.03 THEN 0
                    ELSE 1 + CAST(h(household_key, 'txn_count') % 40 AS INTEGER) END AS purchases
        FROM retail.households),
      t AS (
        SELECT household_key, household_key * 64 + unnest(range(purchases)) AS txn_id FROM n),
      d AS (
        SELECT txn_id, household_key,
               1 + CAST(h(txn_id, 'sku') % 2000 AS BIGINT) AS sku_id,
               -- 545 days of seconds: 2025-01-01 .. 2026-06-29 23:59:59.
               TIMESTAMP '2025-01-01 00:00:00'
                 + to_microseconds(CAST(h(txn_id, 'ts') % 47088000 AS BIGINT) * 1000000) AS txn_ts,
               1 + CAST(h(txn_id, 'qty') % 5 AS INTEGER) AS qty,
               u(txn_id, 'channel') AS channel_u,
               u(txn_id, 'discount') AS discount_u
        FROM t)
      SELECT d.txn_id, d.household_key, d.sku_id, d.txn_ts, d.qty,
             CAST(d.qty * s.list_price * (0.85 + 0.25 * d.discount_u) AS DECIMAL(12, 2)) AS net_amount,
             CASE WHEN channel_u < 0.40 THEN 'store' WHEN channel_u < 0.70 THEN 'web'
                  WHEN channel_u < 0.90 THEN 'app' ELSE 'marketplace' END AS channel
      FROM d JOIN retail.skus AS s USING (sku_id)
      ORDER BY d.txn_id
      """;

  private static final String PROPENSITY =
      """
      CREATE TABLE lake.ml.propensity AS
      SELECT household_key,
             u(household_key, 'p_bread') AS p_bread,
             u(household_key, 'p_soft_drinks') AS p_soft_drinks,
             u(household_key, 'p_dairy') AS p_dairy,
             u(household_key, 'p_produce') AS p_produce,
             u(household_key, 'p_snacks') AS p_snacks,
             u(household_key, 'p_frozen') AS p_frozen,
             TIMESTAMP '2026-06-01 00:00:00'
               + to_microseconds(CAST(h(household_key, 'scored') % 2592000 AS BIGINT) * 1000000) AS scored_ts
      FROM retail.households
      ORDER BY household_key
      """;

  // Per household 0..20 sessions; the id is "s-" and a zero-padded household_key * 32 + n.
  private static final String SESSIONS =
      """
      CREATE TABLE lake.web.sessions AS
      WITH s AS (
        SELECT household_key, household_key * 32 + unnest(range(CAST(h(household_key, 'sessions') % 21 AS INTEGER))) AS id
        FROM retail.households)
      SELECT 's-' || lpad(CAST(id AS VARCHAR), 12, '0') AS session_id,
             household_key,
             TIMESTAMP '2025-01-01 00:00:00'
               + to_microseconds(CAST(h(id, 'start') % 47088000 AS BIGINT) * 1000000) AS session_start,
             CASE WHEN u(id, 'device') < 0.35 THEN 'desktop' WHEN u(id, 'device') < 0.90 THEN 'mobile'
                  ELSE 'tablet' END AS device_type,
             CASE WHEN u(id, 'utm_null') < 0.15 THEN NULL
                  ELSE pick(['google', 'facebook', 'newsletter', 'instagram', 'tiktok', 'direct'], id, 'utm') END
               AS utm_source,
             1 + CAST(h(id, 'views') % 40 AS INTEGER) AS page_views,
             u(id, 'converted') < 0.08 AS converted
      FROM s
      ORDER BY id
      """;
}
