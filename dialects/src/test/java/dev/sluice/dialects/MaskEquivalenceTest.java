package dev.sluice.dialects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.dialects.duckdb.DuckDbConnectionSettings;
import dev.sluice.dialects.duckdb.DuckDbDialect;
import dev.sluice.dialects.postgresql.PostgresDialect;
import dev.sluice.dialects.postgresql.TestingPostgres;
import dev.sluice.policies.Mask;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mask, planned by Calcite and pushed down the way the gateway does (RelToSqlConverter with
 * the warehouse's dialect), gives the same values on DuckDB and on PostgreSQL, so that masked
 * values (hashed e-mails above all) join across warehouses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaskEquivalenceTest {
  private static final String TABLE =
      "CREATE TABLE t (id INTEGER, email VARCHAR, name VARCHAR, birth DATE, seen TIMESTAMP,"
          + " amount DECIMAL(12,2), score DOUBLE PRECISION, qty INTEGER)";

  // Tricky on purpose: case, spaces, non-ASCII, NULLs, 0-2 character names, negative numbers,
  // half-way roundings, leap days, dates before 1970, fractional seconds.
  private static final List<String> ROWS =
      List.of(
          "(1, 'ZOË@Example.ORG ', 'Zoë', DATE '1990-07-15', TIMESTAMP '2024-12-31 23:59:59.5',"
              + " 12.50, 0.125, 7)",
          "(7, 'x@y', 'Xy', DATE '2023-06-01', TIMESTAMP '2023-06-01 12:34:56', 0.30, 2.675, 1)",
          "(8, NULL, NULL, NULL, NULL, 299999.99, NULL, NULL)",
          "(2, '  Ann.Lee@GMAIL.com', '', DATE '2000-01-01', TIMESTAMP '2025-01-01 00:00:00',"
              + " -1234.56, -2.5, -7)",
          "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
          "(4, 'bob@web.de', 'B', DATE '1969-12-31', TIMESTAMP '1999-06-30 12:00:00.123456',"
              + " 0.00, 1234.5678, 150)",
          "(5, 'no-at-sign', 'Al', DATE '2024-02-29', TIMESTAMP '1900-01-01 00:00:00',"
              + " 99999.99, 100.0, 0)",
          "(6, 'Ünïcode.Ärger@Straße.DE', 'Éva', DATE '2024-12-31', TIMESTAMP '2024-01-01 00:00:00',"
              + " 0.05, 0.0000001, 99)");

  private EmbeddedPostgres postgres;
  private Warehouse duckDb;

  @BeforeAll
  void createTables(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("masks.duckdb");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      load(connection);
    }
    duckDb = new DuckDbConnectionSettings(file, true, 2).open("duck");
    postgres = TestingPostgres.start();
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      load(connection);
    }
  }

  @AfterAll
  void close() throws Exception {
    try (EmbeddedPostgres closePostgres = postgres;
        Warehouse closeDuckDb = duckDb) {
      // Closed by try-with-resources, PostgreSQL last.
    }
  }

  static Stream<Arguments> masks() {
    List<Arguments> cases = new ArrayList<>();
    for (String column : List.of("email", "name", "id", "amount", "birth", "seen", "qty")) {
      cases.add(Arguments.of("hash", Mask.parse("hash"), column));
    }
    cases.add(Arguments.of("hash(salted)", new Mask.Hash(Optional.of("pepper")), "email"));
    cases.add(Arguments.of("redact", Mask.parse("redact"), "email"));
    cases.add(Arguments.of("redact('n/a')", Mask.parse("redact('n/a')"), "amount"));
    for (String column : List.of("email", "amount", "birth", "seen", "score")) {
      cases.add(Arguments.of("null", Mask.parse("null"), column));
    }
    for (String spec : List.of("partial(1, 0)", "partial(1, 1)", "partial(0, 2)", "partial(2, 3)")) {
      cases.add(Arguments.of(spec, Mask.parse(spec), "name"));
      cases.add(Arguments.of(spec, Mask.parse(spec), "email"));
    }
    cases.add(Arguments.of("email_domain", Mask.parse("email_domain"), "email"));
    cases.add(Arguments.of("year", Mask.parse("year"), "birth"));
    cases.add(Arguments.of("year", Mask.parse("year"), "seen"));
    for (String spec : List.of("round(2)", "round(1)", "round(0)", "round(-2)")) {
      for (String column : List.of("amount", "score", "qty")) {
        cases.add(Arguments.of(spec, Mask.parse(spec), column));
      }
    }
    for (String spec : List.of("bucket(100)", "bucket(0.5)", "bucket(3)", "bucket(0.1)", "bucket(100000)")) {
      for (String column : List.of("amount", "score", "qty")) {
        cases.add(Arguments.of(spec, Mask.parse(spec), column));
      }
    }
    cases.add(
        Arguments.of(
            "expression",
            new Mask.Expression("UPPER(SUBSTRING(value FROM 1 FOR 3)) || '-' || CAST(id AS VARCHAR)"),
            "name"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} on {2}")
  @MethodSource("masks")
  void sameValuesOnEveryWarehouse(String spec, Mask mask, String column) throws Exception {
    String query =
        "SELECT " + mask.apply("\"" + column + "\"") + " AS \"m\" FROM \"t\" ORDER BY \"id\"";

    String onDuckDb = pushDown(query, duckDb.dataSource(), DuckDbDialect.INSTANCE, "main");
    String onPostgres =
        pushDown(query, postgres.getPostgresDatabase(), PostgresDialect.INSTANCE, "public");

    assertThat(run(postgres.getPostgresDatabase(), onPostgres))
        .as("%s%non DuckDB: %s%non PostgreSQL: %s", query, onDuckDb, onPostgres)
        .isEqualTo(run(duckDb.dataSource(), onDuckDb));
  }

  @ParameterizedTest(name = "hash on {0}")
  @MethodSource("textColumns")
  void hashIsSha256OfTheTrimmedLowerCasedText(String column) throws Exception {
    String clear = "SELECT \"" + column + "\" AS \"m\" FROM \"t\" ORDER BY \"id\"";
    List<String> expected = new ArrayList<>();
    for (String value : run(duckDb.dataSource(), clear)) {
      expected.add(
          value == null ? null : MaskFunctions.sha256Hex(trimSpaces(value).toLowerCase(Locale.ROOT)));
    }
    String hashed =
        "SELECT " + Mask.parse("hash").apply("\"" + column + "\"") + " AS \"m\" FROM \"t\""
            + " ORDER BY \"id\"";

    assertThat(
            run(
                postgres.getPostgresDatabase(),
                pushDown(hashed, postgres.getPostgresDatabase(), PostgresDialect.INSTANCE, "public")))
        .isEqualTo(expected);
    assertThat(
            run(
                duckDb.dataSource(),
                pushDown(hashed, duckDb.dataSource(), DuckDbDialect.INSTANCE, "main")))
        .isEqualTo(expected);
  }

  // The type-dependent rewrites, as each warehouse receives them.
  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          year | birth | SELECT DATETRUNC('year', "birth") AS "m" | SELECT CAST(DATE_TRUNC('YEAR', CAST("birth" AS TIMESTAMP(0))) AS DATE) AS "m"
          round(2) | score | SELECT ROUND("score", 2) AS "m" | SELECT CAST(ROUND(CAST("score" AS NUMERIC), 2) AS DOUBLE PRECISION) AS "m"
          bucket(0.1) | amount | SELECT FLOOR(CAST("amount" / 0.1 AS DECIMAL(17, 6))) * 0.1 AS "m" | SELECT FLOOR(CAST("amount" / 0.1 AS DECIMAL(17, 6))) * 0.1 AS "m"
          """)
  void typeDependentRewrites(String spec, String column, String duckDbSql, String postgresSql)
      throws Exception {
    String query = "SELECT " + Mask.parse(spec).apply("\"" + column + "\"") + " AS \"m\" FROM \"t\"";

    assertThat(pushDown(query, duckDb.dataSource(), DuckDbDialect.INSTANCE, "main"))
        .isEqualTo(duckDbSql + "\nFROM \"main\".\"t\"");
    assertThat(pushDown(query, postgres.getPostgresDatabase(), PostgresDialect.INSTANCE, "public"))
        .isEqualTo(postgresSql + "\nFROM \"public\".\"t\"");
  }

  static Stream<String> textColumns() {
    return Stream.of("email", "name");
  }

  /** Plans {@code query} over the warehouse's tables and renders it as the gateway pushes it. */
  private static String pushDown(String query, DataSource dataSource, SqlDialect dialect, String schema)
      throws Exception {
    SchemaPlus root = Frameworks.createRootSchema(false);
    JdbcConvention convention =
        JdbcConvention.of(
            dialect, Schemas.subSchemaExpression(root, "w", JdbcSchema.class), "w");
    SchemaPlus warehouse = root.add("w", new JdbcSchema(dataSource, dialect, convention, null, schema));
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
    RelNode plan = planner.rel(planner.validate(planner.parse(query))).project();
    return new RelToSqlConverter(dialect).visitRoot(plan).asStatement().toSqlString(dialect).getSql();
  }

  /** The single column of every row, as text that is equal when the values are equal. */
  private static List<String> run(DataSource dataSource, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery(sql)) {
      while (resultSet.next()) {
        values.add(text(resultSet.getObject(1)));
      }
    }
    return values;
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    // The gateway reads each column with the getter of the type Calcite derived, so a number is
    // equal whatever class and scale the driver returns it in; a date must stay a date.
    if (value instanceof Double || value instanceof Float) {
      return "number:" + new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
    }
    if (value instanceof Number number) {
      return "number:" + new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
    }
    if (value instanceof java.sql.Date date) {
      return "date:" + date.toLocalDate();
    }
    if (value instanceof java.time.LocalDate date) {
      return "date:" + date;
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return "timestamp:" + timestamp.toLocalDateTime();
    }
    if (value instanceof java.time.LocalDateTime timestamp) {
      return "timestamp:" + timestamp;
    }
    return value.toString();
  }

  private static String trimSpaces(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && value.charAt(start) == ' ') {
      start++;
    }
    while (end > start && value.charAt(end - 1) == ' ') {
      end--;
    }
    return value.substring(start, end);
  }

  private static void load(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(TABLE);
      statement.execute("INSERT INTO t VALUES " + String.join(", ", ROWS));
    }
  }
}
