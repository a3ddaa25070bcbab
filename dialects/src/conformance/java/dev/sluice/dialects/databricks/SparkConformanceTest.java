package dev.sluice.dialects.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.dialects.MaskFunctions;
import dev.sluice.dialects.Warehouse;
import dev.sluice.dialects.duckdb.DuckDbConnectionSettings;
import dev.sluice.dialects.duckdb.DuckDbDialect;
import dev.sluice.policies.Mask;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plans Calcite SQL once, renders it for Databricks and for DuckDB the way the gateway pushes it
 * down, runs the first on an in-process Spark SQL session (the engine behind Databricks SQL) and
 * the second on DuckDB over the same data, and requires the same rows.
 */
@Tag("conformance")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkConformanceTest {
  // {s} is the engine's string type, {q} a quote inside a string literal, {b} a backslash:
  // Spark writes them \' and \\ (see DatabricksDialect#quoteStringLiteral).
  private static final List<String> TABLES =
      List.of(
          "CREATE TABLE cdp.customers (customer_id BIGINT, email {s}, phone {s}, first_name {s},"
              + " last_name {s}, city {s}, region {s}, country {s}, loyalty_tier {s},"
              + " birth_date DATE, signup_at TIMESTAMP, email_opt_in BOOLEAN, ads_opt_in BOOLEAN,"
              + " lifetime_value DECIMAL(12,2))",
          "INSERT INTO cdp.customers VALUES"
              + " (1, 'ZOË@Example.ORG ', '+1 555 0100', 'Zoë', 'Zoë', 'San Diego', 'NA', 'US',"
              + " 'gold', DATE '1990-07-15', TIMESTAMP '2024-12-31 23:59:59.5', true, false, 1200.50),"
              + " (2, '  Ann.Lee@GMAIL.com', NULL, 'Ann', 'O{q}Brien', 'Berlin', 'EU', 'DE', 'bronze',"
              + " DATE '2000-01-01', TIMESTAMP '2021-11-30 23:59:59', false, true, -80.05),"
              + " (3, 'cem@gmail.com', '+49 30 1234', 'Cem', '', 'San Sebastián', 'EU', 'ES',"
              + " 'silver', DATE '1969-12-31', TIMESTAMP '2024-02-29 00:00:00.123456', true, true,"
              + " 300.25),"
              + " (4, NULL, NULL, NULL, NULL, 'Tokyo', 'APAC', 'JP', 'bronze', NULL, NULL, NULL,"
              + " NULL, NULL),"
              + " (5, 'back{b}slash@x.y', '0', 'Bo', 'B', 'Köln', 'EU', 'DE', 'platinum',"
              + " DATE '2024-02-29', TIMESTAMP '1900-01-01 00:00:00', false, false, 0.30),"
              + " (6, 'Ünïcode.Ärger@Straße.DE', '+81 3 0000', 'Al', 'Al', 'San Diego', 'NA', 'US',"
              + " 'gold', DATE '1999-12-31', TIMESTAMP '2025-06-30 12:00:00', true, true, 99999.99),"
              + " (42, 'max@gmail.com', '+55 11 5555', 'Max', 'Müller', 'São Paulo', 'LATAM', 'BR',"
              + " 'silver', DATE '1985-05-05', TIMESTAMP '2020-01-01 00:00:00', true, false, 750.00)",
          "CREATE TABLE cdp.scores (customer_id BIGINT, bread DOUBLE, qty INTEGER)",
          "INSERT INTO cdp.scores VALUES (1, 0.91, 7), (2, 0.15, -7), (3, 0.66, 0), (4, 0.5, NULL),"
              + " (5, 2.675, -1), (6, -2.5, 150)",
          "CREATE TABLE cdp.propensity_scores (customer_id BIGINT, bread DOUBLE, soft_drinks DOUBLE,"
              + " dairy DOUBLE, produce DOUBLE, snacks DOUBLE, frozen DOUBLE, scored_at TIMESTAMP)",
          "INSERT INTO cdp.propensity_scores VALUES"
              + " (1, 0.91, 0.5, 0.95, 0.1, 0.2, 0.3, TIMESTAMP '2026-06-01 00:00:00'),"
              + " (2, 0.66, 0.33, 0.1, 0.2, 0.3, 0.4, TIMESTAMP '2026-06-01 00:00:00'),"
              + " (3, 0.7, 0.66, 0.9, 0.5, 0.5, 0.5, TIMESTAMP '2026-06-01 00:00:00'),"
              + " (4, 0.05, 0.9, 0.0, 1.0, 0.0, 1.0, TIMESTAMP '2026-06-01 00:00:00'),"
              + " (5, 0.99, 0.34, 0.89, 0.5, 0.5, 0.5, NULL),"
              + " (6, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, TIMESTAMP '2026-06-01 00:00:00'),"
              + " (42, 0.665, 0.4, 0.92, 0.1, 0.1, 0.1, TIMESTAMP '2026-06-01 00:00:00')",
          "CREATE TABLE cdp.products (product_id BIGINT, name {s}, category {s}, brand {s},"
              + " price DECIMAL(10,2))",
          "INSERT INTO cdp.products VALUES (100, 'Sourdough', 'bread', 'Acme', 4.50),"
              + " (101, 'Baguette', 'bread', 'Acme', 2.10), (102, 'Cola', 'soft_drinks', 'Fizz', 1.99),"
              + " (103, 'Milk', 'dairy', 'Moo', 0.99), (104, 'Rye', 'bread', 'Öko', 3.30),"
              + " (105, 'Pizza', 'frozen', 'Ice', 6.00)",
          "CREATE TABLE cdp.purchases (order_id BIGINT, customer_id BIGINT, product_id BIGINT,"
              + " quantity INTEGER, amount DECIMAL(12,2), purchased_at TIMESTAMP, channel {s})",
          "INSERT INTO cdp.purchases VALUES"
              + " (10, 1, 100, 3, 12.50, TIMESTAMP '2026-04-01 00:00:00', 'web'),"
              + " (11, 1, 101, 1, 0.30, TIMESTAMP '2026-05-15 10:00:00', 'store'),"
              + " (12, 2, 102, 5, 7.99, TIMESTAMP '2025-01-01 00:00:00', 'app'),"
              + " (13, 3, 100, 2, 100.00, TIMESTAMP '2026-06-29 23:59:59', 'web'),"
              + " (14, 3, 103, 7, 0.01, TIMESTAMP '2025-12-31 23:00:00', 'marketplace'),"
              + " (15, 6, 104, 9, 1.10, TIMESTAMP '2026-02-28 08:00:00', NULL),"
              + " (16, 1, 104, 1, 3.30, TIMESTAMP '2026-06-01 12:00:00', 'app'),"
              + " (17, 42, 105, 2, 12.00, TIMESTAMP '2026-02-01 09:00:00', 'web'),"
              + " (18, 1, 100, 1, 4.50, TIMESTAMP '2026-06-29 00:00:00', 'web')",
          "CREATE TABLE cdp.web_sessions (session_id {s}, customer_id BIGINT, started_at TIMESTAMP,"
              + " device {s}, utm_source {s}, page_views INTEGER, converted BOOLEAN)",
          "INSERT INTO cdp.web_sessions VALUES"
              + " ('s1', 1, TIMESTAMP '2026-01-01 10:00:00', 'mobile', 'google', 3, true),"
              + " ('s2', 2, TIMESTAMP '2026-01-02 10:00:00', 'desktop', NULL, 1, true),"
              + " ('s3', 3, TIMESTAMP '2026-01-03 10:00:00', 'tablet', 'newsletter', 9, false),"
              + " ('s4', 2, TIMESTAMP '2026-01-04 10:00:00', 'mobile', 'google', 2, true),"
              + " ('s5', 42, TIMESTAMP '2026-01-05 10:00:00', 'desktop', 'meta', 5, NULL)");

  private SparkSession spark;
  private Warehouse duckDb;

  @BeforeAll
  void start(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("conformance.duckdb");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA cdp");
      for (String sql : TABLES) {
        statement.execute(forEngine(sql, "VARCHAR", "''", "\\"));
      }
    }
    duckDb = new DuckDbConnectionSettings(file, true, 1).open("duck");

    spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("sluice-conformance")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.sql.session.timeZone", "UTC")
            // Databricks SQL warehouses run in ANSI mode (also Spark 4's default).
            .config("spark.sql.ansi.enabled", "true")
            .config("spark.sql.datetime.java8API.enabled", "true")
            .config("spark.sql.warehouse.dir", directory.resolve("spark").toUri().toString())
            .getOrCreate();
    spark.sql("CREATE DATABASE cdp");
    for (String sql : TABLES) {
      spark.sql(forEngine(sql, "STRING", "\\'", "\\\\")
          + (sql.startsWith("CREATE") ? " USING parquet" : ""));
    }
    for (String setup : DatabricksConnectionSettings.SESSION_SETUP) {
      spark.sql(setup);
    }
  }

  @AfterAll
  void stop() throws Exception {
    try (Warehouse closeDuckDb = duckDb) {
      if (spark != null) {
        spark.stop();
      }
    }
  }

  static Stream<String> queries() {
    List<String> queries =
        new ArrayList<>(
            List.of(
                "SELECT customer_id, EXTRACT(YEAR FROM signup_at) AS y, EXTRACT(MONTH FROM birth_date) AS m FROM customers ORDER BY customer_id",
                "SELECT customer_id, EXTRACT(DAY FROM signup_at), EXTRACT(HOUR FROM signup_at), EXTRACT(QUARTER FROM birth_date) FROM customers ORDER BY customer_id",
                "SELECT customer_id FROM customers WHERE signup_at >= TIMESTAMP '2021-11-30 23:59:59' AND signup_at < TIMESTAMP '2024-12-31 23:59:59.5' ORDER BY 1",
                "SELECT customer_id FROM customers WHERE birth_date BETWEEN DATE '1969-12-31' AND DATE '2000-01-01' ORDER BY 1",
                "SELECT customer_id FROM customers WHERE signup_at + INTERVAL '1' DAY > TIMESTAMP '2024-12-31 12:00:00' ORDER BY 1",
                "SELECT customer_id, CAST(signup_at AS DATE) FROM customers ORDER BY 1",
                "SELECT customer_id FROM customers WHERE email_opt_in ORDER BY 1",
                "SELECT customer_id FROM customers WHERE email_opt_in IS NOT TRUE ORDER BY 1",
                "SELECT customer_id FROM customers WHERE NOT email_opt_in OR email_opt_in IS NULL ORDER BY 1",
                "SELECT email_opt_in, COUNT(*) FROM customers GROUP BY email_opt_in ORDER BY email_opt_in",
                "SELECT customer_id, email_opt_in AND customer_id > 2 FROM customers ORDER BY 1",
                "SELECT customer_id FROM customers ORDER BY customer_id LIMIT 2 OFFSET 1",
                "SELECT customer_id FROM customers ORDER BY customer_id OFFSET 3 ROWS",
                "SELECT customer_id FROM customers ORDER BY customer_id FETCH FIRST 1 ROWS ONLY",
                "SELECT customer_id FROM scores WHERE bread >= 0.5 INTERSECT SELECT customer_id FROM customers WHERE email_opt_in ORDER BY 1",
                "SELECT customer_id FROM scores EXCEPT SELECT customer_id FROM customers WHERE email_opt_in ORDER BY 1",
                "SELECT customer_id FROM purchases INTERSECT ALL SELECT customer_id FROM purchases WHERE amount > 1 ORDER BY 1",
                "SELECT customer_id FROM purchases EXCEPT ALL SELECT customer_id FROM customers ORDER BY 1",
                "SELECT customer_id FROM purchases UNION SELECT customer_id FROM scores ORDER BY 1",
                "SELECT customer_id, FLOOR(birth_date TO YEAR), FLOOR(birth_date TO MONTH), FLOOR(signup_at TO HOUR) FROM customers ORDER BY 1",
                // DuckDB returns a DATE for a TIMESTAMP truncated to a year or month, so those are
                // compared as values, not as result columns.
                "SELECT customer_id FROM customers WHERE FLOOR(signup_at TO YEAR) = TIMESTAMP '2024-01-01 00:00:00' OR FLOOR(signup_at TO MONTH) = TIMESTAMP '2021-11-01 00:00:00' ORDER BY 1",
                "SELECT customer_id, CAST(customer_id AS VARCHAR) || '-' || CAST(lifetime_value AS VARCHAR) FROM customers ORDER BY 1",
                "SELECT customer_id, CAST(lifetime_value AS DECIMAL(10, 1)), CAST(lifetime_value AS INTEGER) FROM customers ORDER BY 1",
                "SELECT customer_id, CAST(bread AS INTEGER), CAST(bread * 10 AS BIGINT), CAST(bread AS DECIMAL(5, 1)) FROM scores ORDER BY 1",
                "SELECT customer_id, lifetime_value / 3, lifetime_value * 1.5, lifetime_value / 0.1 FROM customers ORDER BY 1",
                "SELECT customer_id, qty / 2, qty / -2, qty * 1.0 / 2, MOD(qty, 3) FROM scores ORDER BY 1",
                "SELECT customer_id / 2 AS half, customer_id / 4 FROM customers ORDER BY 1",
                "SELECT SUM(quantity) / COUNT(*) FROM purchases",
                "SELECT customer_id, ROUND(bread, 2), ROUND(bread, 0), ROUND(lifetime_value, -2) FROM scores JOIN customers USING (customer_id) ORDER BY 1",
                "SELECT city, COUNT(*), COUNT(DISTINCT email) FROM customers GROUP BY city ORDER BY city",
                "SELECT customer_id, SUBSTRING(email FROM POSITION('@' IN email) + 1) FROM customers ORDER BY 1",
                "SELECT customer_id, SUBSTRING(email FROM 1 FOR 3), CHAR_LENGTH(email), UPPER(last_name), LOWER(TRIM(email)) FROM customers ORDER BY 1",
                "SELECT customer_id FROM customers WHERE last_name = 'O''Brien' OR email LIKE 'back\\%' ORDER BY 1",
                "SELECT customer_id FROM customers WHERE email NOT LIKE '%\\%' AND city LIKE '_an%' ORDER BY 1",
                "SELECT customer_id FROM customers WHERE email LIKE 'back' || '\\%' ORDER BY 1",
                "SELECT customer_id, 'it''s ' || last_name FROM customers ORDER BY 1",
                "SELECT city FROM customers WHERE city LIKE 'San%' ORDER BY city DESC",
                "SELECT customer_id FROM customers WHERE city = 'San Sebastián' OR city = 'Köln' ORDER BY 1",
                "SELECT customer_id, email FROM customers ORDER BY email",
                "SELECT customer_id, email FROM customers ORDER BY email DESC NULLS LAST",
                "SELECT customer_id, lifetime_value FROM customers ORDER BY lifetime_value DESC, customer_id",
                "SELECT customer_id, CASE WHEN lifetime_value >= 1000 THEN 'vip' WHEN lifetime_value >= 250 THEN 'regular' ELSE 'occasional' END FROM customers ORDER BY 1",
                "SELECT c.customer_id, COUNT(*), SUM(p.amount), MAX(p.purchased_at) FROM customers c JOIN purchases p ON p.customer_id = c.customer_id GROUP BY c.customer_id HAVING COUNT(*) >= 1 ORDER BY 3 DESC, 1",
                "SELECT c.customer_id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.customer_id = c.customer_id AND s.bread < 0.6) ORDER BY 1",
                "SELECT c.customer_id FROM customers c WHERE c.customer_id IN (SELECT customer_id FROM purchases WHERE channel = 'web') ORDER BY 1",
                "SELECT c.customer_id, p.order_id FROM customers c LEFT JOIN purchases p ON p.customer_id = c.customer_id ORDER BY 1, 2",
                "SELECT customer_id, ROW_NUMBER() OVER (ORDER BY lifetime_value DESC) FROM customers ORDER BY 2",
                "SELECT customer_id, amount, SUM(amount) OVER (PARTITION BY customer_id ORDER BY purchased_at) FROM purchases ORDER BY order_id",
                "SELECT COUNT(*), AVG(bread), MIN(bread), MAX(qty), SUM(qty), AVG(qty) FROM scores",
                "SELECT FLOOR(bread * 10) / 10 AS bucket, COUNT(*) FROM scores GROUP BY FLOOR(bread * 10) / 10 ORDER BY bucket",
                "SELECT COALESCE(channel, 'none'), COUNT(*) FROM purchases GROUP BY COALESCE(channel, 'none') ORDER BY 1",
                "SELECT customer_id, NULLIF(qty, 0), ABS(qty), CAST(bread AS DECIMAL(10, 2)) FROM scores ORDER BY 1",
                "WITH big AS (SELECT customer_id FROM purchases WHERE amount >= 10) SELECT COUNT(*) FROM big",
                "SELECT APPROX_COUNT_DISTINCT(city), COUNT(*) FILTER (WHERE email_opt_in) FROM customers",
                "SELECT customer_id FROM customers WHERE email_opt_in IS DISTINCT FROM ads_opt_in ORDER BY 1",
                "SELECT customer_id, EXTRACT(DOY FROM birth_date), EXTRACT(WEEK FROM birth_date) FROM customers ORDER BY 1",
                "SELECT customer_id, TRIM(LEADING ' ' FROM email), first_name || last_name FROM customers ORDER BY 1",
                "SELECT customer_id, CAST(bread AS VARCHAR), CAST(qty AS VARCHAR), CAST(birth_date AS VARCHAR) FROM scores JOIN customers USING (customer_id) ORDER BY 1",
                "SELECT customer_id, CAST(signup_at AS VARCHAR), CAST(email_opt_in AS VARCHAR) FROM customers ORDER BY 1",
                // The shape of the gateway's minimum group size (here 2 customers): count each group's
                // distinct customers and the small groups, join back on '=', fold small and NULL-keyed
                // groups into one NULL-keyed group, NULL the values of a final group still too small.
                "SELECT CASE WHEN s.small IS NOT FALSE THEN NULL ELSE c.loyalty_tier END AS tier,"
                    + " CASE WHEN COUNT(DISTINCT c.customer_id) < 2 THEN NULL ELSE COUNT(*) END AS n,"
                    + " COALESCE(MAX(s.folded), 0) AS folded"
                    + " FROM customers c LEFT JOIN (SELECT loyalty_tier, loyalty_tier IS NULL OR COUNT(DISTINCT customer_id) < 2 AS small,"
                    + " SUM(CASE WHEN loyalty_tier IS NULL OR COUNT(DISTINCT customer_id) < 2 THEN 1 ELSE 0 END) OVER () AS folded"
                    + " FROM customers GROUP BY loyalty_tier) s ON c.loyalty_tier = s.loyalty_tier"
                    + " GROUP BY CASE WHEN s.small IS NOT FALSE THEN NULL ELSE c.loyalty_tier END ORDER BY 1 NULLS FIRST"));
    // Every mask, on the columns they are used on.
    String[][] masked = {
      {"hash", "email"}, {"hash", "last_name"}, {"hash", "customer_id"}, {"hash", "birth_date"},
      {"partial(1, 0)", "last_name"}, {"partial(2, 3)", "email"}, {"email_domain", "email"},
      {"year", "birth_date"}, {"year", "signup_at"}, {"round(2)", "lifetime_value"},
      {"round(-2)", "lifetime_value"}, {"bucket(100)", "lifetime_value"},
      {"bucket(0.1)", "lifetime_value"}, {"bucket(3)", "customer_id"}, {"redact", "email"},
      {"null", "signup_at"},
    };
    for (String[] mask : masked) {
      queries.add(
          "SELECT customer_id, SLUICE_MASKED(" + parse(mask[0]).apply(mask[1]) + ") AS m"
              + " FROM customers ORDER BY customer_id");
    }
    queries.add("SELECT customer_id, SLUICE_MASKED(" + parse("round(1)").apply("bread") + "),"
        + " SLUICE_MASKED(" + parse("bucket(3)").apply("qty") + "),"
        + " SLUICE_MASKED(" + parse("bucket(0.5)").apply("bread") + ") FROM scores ORDER BY 1");
    return queries.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void sparkReturnsTheRowsDuckDbReturns(String query) throws Exception {
    RelNode plan = plan(query);
    String onSpark = render(plan, DatabricksDialect.INSTANCE);
    String onDuckDb = render(plan, DuckDbDialect.INSTANCE);

    assertThat(runOnSpark(onSpark))
        .as("%s%non Spark: %s%non DuckDB: %s", query, onSpark, onDuckDb)
        .isEqualTo(runOnDuckDb(onDuckDb));
  }

  static Stream<Arguments> corpus() throws IOException {
    // The live corpus beside the repository, else the copy the gateway's tests keep.
    Path shared = Path.of("../../shared/corpus/audience.sql");
    Path file =
        Path.of(System.getProperty("sluice.corpus",
            Files.isRegularFile(shared) ? shared.toString() : "../gateway/src/test/resources/corpus/audience.sql"));
    List<Arguments> queries = new ArrayList<>();
    for (String block : Files.readString(file).split("-- name:")) {
      int end = block.lastIndexOf(';');
      if (end < 0) {
        continue; // the header
      }
      String name = block.substring(0, block.indexOf('\n')).strip();
      StringBuilder sql = new StringBuilder();
      String params = null;
      for (String line : block.substring(block.indexOf('\n') + 1, end).split("\\R")) {
        if (line.startsWith("-- params:")) {
          params = line.substring("-- params:".length()).strip();
        } else {
          sql.append(line).append('\n');
        }
      }
      // The one parameterized query takes a number: inline it, the plan is the same.
      String query = params == null ? sql.toString() : sql.toString().replace("?", params);
      queries.add(Arguments.of(name, query.strip()));
    }
    return queries.stream();
  }

  // Every query of the public corpus, over a few rows of each virtual table.
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void corpusQueriesReturnTheSameRows(String name, String query) throws Exception {
    RelNode plan = plan(query);
    String onSpark = render(plan, DatabricksDialect.INSTANCE);
    String onDuckDb = render(plan, DuckDbDialect.INSTANCE);
    List<String> sparkRows = runOnSpark(onSpark);
    List<String> duckDbRows = runOnDuckDb(onDuckDb);
    if (!query.toUpperCase(Locale.ROOT).contains("ORDER BY")) {
      Collections.sort(sparkRows);
      Collections.sort(duckDbRows);
    }

    assertThat(sparkRows)
        .as("%s%non Spark: %s%non DuckDB: %s", query, onSpark, onDuckDb)
        .isEqualTo(duckDbRows);
  }

  @Test
  void hashIsSha256HexOfTheUtf8Text() throws Exception {
    String query =
        "SELECT SLUICE_MASKED(" + parse("hash").apply("email") + ") FROM customers"
            + " WHERE customer_id = 6";

    String onSpark = render(plan(query), DatabricksDialect.INSTANCE);

    assertThat(onSpark).contains("SHA2(LOWER(TRIM(");
    assertThat(runOnSpark(onSpark))
        .containsExactly(MaskFunctions.sha256Hex("Ünïcode.Ärger@Straße.DE".toLowerCase(Locale.ROOT)));
  }

  // Calcite's DOW counts from Sunday = 1, as Spark's does; DuckDB's dow counts from Sunday = 0, so
  // this one is checked against the expected values rather than against DuckDB.
  @Test
  void dayOfWeekCountsFromSundayAsOne() throws Exception {
    String onSpark =
        render(
            plan("SELECT EXTRACT(DOW FROM birth_date) FROM customers WHERE customer_id IN (1, 2)"
                + " ORDER BY customer_id"),
            DatabricksDialect.INSTANCE);

    // 1990-07-15 was a Sunday, 2000-01-01 a Saturday.
    assertThat(runOnSpark(onSpark)).containsExactly("number:1", "number:7");
  }

  @Test
  void integerDivisionTruncatesTowardZero() throws Exception {
    String onSpark =
        render(plan("SELECT qty / 2 FROM scores WHERE customer_id = 2"), DatabricksDialect.INSTANCE);

    assertThat(onSpark).contains("CAST(`qty` DIV 2 AS INTEGER)");
    assertThat(runOnSpark(onSpark)).containsExactly("number:-3");
  }

  private static Mask parse(String spec) {
    return Mask.parse(spec);
  }

  private RelNode plan(String query) throws Exception {
    SchemaPlus root = Frameworks.createRootSchema(false);
    JdbcConvention convention =
        JdbcConvention.of(
            DuckDbDialect.INSTANCE, Schemas.subSchemaExpression(root, "cdp", JdbcSchema.class), "cdp");
    SchemaPlus warehouse =
        root.add(
            "cdp",
            new JdbcSchema(duckDb.dataSource(), DuckDbDialect.INSTANCE, convention, null, "cdp"));
    FrameworkConfig config =
        Frameworks.newConfigBuilder()
            .defaultSchema(warehouse)
            .parserConfig(
                SqlParser.config()
                    .withQuoting(Quoting.DOUBLE_QUOTE)
                    .withUnquotedCasing(Casing.UNCHANGED)
                    .withQuotedCasing(Casing.UNCHANGED)
                    .withCaseSensitive(false))
            .operatorTable(
                SqlOperatorTables.chain(SqlStdOperatorTable.instance(), MaskFunctions.OPERATORS))
            .build();
    Planner planner = Frameworks.getPlanner(config);
    return planner.rel(planner.validate(planner.parse(query))).project();
  }

  private static String render(RelNode plan, SqlDialect dialect) {
    return new RelToSqlConverter(dialect).visitRoot(plan).asStatement().toSqlString(dialect).getSql();
  }

  private List<String> runOnSpark(String sql) {
    List<String> rows = new ArrayList<>();
    for (Row row : spark.sql(sql).collectAsList()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        values.add(text(row.get(i)));
      }
      rows.add(String.join(" | ", values));
    }
    return rows;
  }

  private List<String> runOnDuckDb(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = duckDb.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery(sql)) {
      int columns = resultSet.getMetaData().getColumnCount();
      while (resultSet.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(text(resultSet.getObject(i)));
        }
        rows.add(String.join(" | ", values));
      }
    }
    return rows;
  }

  // Equal text for equal values whatever class each engine returns them in.
  private static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Number number) {
      return "number:" + new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
    }
    if (value instanceof java.sql.Date date) {
      return "date:" + date.toLocalDate();
    }
    if (value instanceof LocalDate date) {
      return "date:" + date;
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return "timestamp:" + timestamp.toLocalDateTime();
    }
    if (value instanceof Instant instant) {
      return "timestamp:" + LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
    if (value instanceof LocalDateTime timestamp) {
      return "timestamp:" + timestamp;
    }
    return value.toString();
  }

  private static String forEngine(String sql, String stringType, String quote, String backslash) {
    return sql.replace("{s}", stringType).replace("{q}", quote).replace("{b}", backslash);
  }
}
