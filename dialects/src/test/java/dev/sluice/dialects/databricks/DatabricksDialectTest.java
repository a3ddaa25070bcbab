package dev.sluice.dialects.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.dialects.MaskFunctions;
import dev.sluice.dialects.Warehouse;
import dev.sluice.dialects.duckdb.DuckDbConnectionSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SQL each Databricks quirk is rendered as, planned the way the gateway pushes queries down.
 * Spark runs each form in {@code SparkConformanceTest} (profile {@code conformance}); this fast
 * check keeps the default build honest about the rendering itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabricksDialectTest {
  private Warehouse catalog;

  @BeforeAll
  void createTables(@TempDir Path directory) throws Exception {
    // Only the table's columns matter: DuckDB serves as the catalog Calcite validates against.
    Path file = directory.resolve("catalog.duckdb");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA cdp");
      statement.execute(
          "CREATE TABLE cdp.t (id BIGINT, qty INTEGER, email VARCHAR, birth DATE, seen TIMESTAMP,"
              + " amount DECIMAL(12,2), score DOUBLE)");
    }
    catalog = new DuckDbConnectionSettings(file, true, 1).open("catalog");
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '#',
      quoteCharacter = '"',
      textBlock =
          """
          SELECT qty / 2 FROM t # SELECT CAST(`qty` DIV 2 AS INTEGER) FROM `cdp`.`t`
          SELECT id / 2 FROM t # SELECT `id` DIV 2 FROM `cdp`.`t`
          SELECT amount / 4 FROM t # SELECT CAST(`amount` / 4 AS DECIMAL(19, 6)) FROM `cdp`.`t`
          SELECT FLOOR(birth TO YEAR) FROM t # SELECT CAST(DATE_TRUNC('YEAR', CAST(`birth` AS TIMESTAMP)) AS DATE) FROM `cdp`.`t`
          SELECT FLOOR(seen TO MONTH) FROM t # SELECT DATE_TRUNC('MONTH', `seen`) FROM `cdp`.`t`
          SELECT CAST(amount AS INTEGER), CAST(score AS BIGINT) FROM t # SELECT CAST(ROUND(`amount`, 0) AS INTEGER), CAST(BROUND(`score`, 0) AS BIGINT) FROM `cdp`.`t`
          SELECT CAST(id AS VARCHAR) FROM t # SELECT CAST(`id` AS STRING) FROM `cdp`.`t`
          SELECT email FROM t WHERE email = 'O''Brien\\' # SELECT `email` FROM `cdp`.`t` WHERE `email` = 'O\\'Brien\\\\'
          SELECT email FROM t WHERE email LIKE 'a\\%' # SELECT `email` FROM `cdp`.`t` WHERE `email` LIKE 'a\\\\\\\\%'
          SELECT email FROM t WHERE email NOT LIKE email # SELECT `email` FROM `cdp`.`t` WHERE `email` NOT LIKE REPLACE(`email`, '\\\\', '\\\\\\\\')
          SELECT SLUICE_MASKED(SLUICE_SHA256_HEX(LOWER(TRIM(email)))) FROM t # SELECT (SHA2(LOWER(TRIM(`email`)), 256)) FROM `cdp`.`t`
          SELECT EXTRACT(YEAR FROM seen) FROM t ORDER BY 1 LIMIT 2 OFFSET 1 # SELECT EXTRACT(YEAR FROM `seen`) FROM `cdp`.`t` ORDER BY 1 NULLS LAST LIMIT 2 OFFSET 1
          SELECT id FROM t WHERE seen >= TIMESTAMP '2025-01-01 00:00:00' AND birth < DATE '2000-01-01' # SELECT `id` FROM `cdp`.`t` WHERE `seen` >= TIMESTAMP '2025-01-01 00:00:00' AND `birth` < DATE '2000-01-01'
          """)
  void rendersEachQuirk(String query, String expected) throws Exception {
    assertThat(render(query).replace("\n", " ")).isEqualTo(expected);
  }

  private String render(String query) throws Exception {
    SchemaPlus root = Frameworks.createRootSchema(false);
    JdbcConvention convention =
        JdbcConvention.of(
            DatabricksDialect.INSTANCE, Schemas.subSchemaExpression(root, "w", JdbcSchema.class), "w");
    SchemaPlus warehouse =
        root.add(
            "w",
            new JdbcSchema(
                catalog.dataSource(), DatabricksDialect.INSTANCE, convention,
                null, "cdp"));
    Planner planner =
        Frameworks.getPlanner(
            Frameworks.newConfigBuilder()
                .defaultSchema(warehouse)
                .parserConfig(
                    SqlParser.config()
                        .withQuoting(Quoting.DOUBLE_QUOTE)
                        .withUnquotedCasing(Casing.UNCHANGED)
                        .withCaseSensitive(false))
                .operatorTable(
                    SqlOperatorTables.chain(
                        SqlStdOperatorTable.instance(), MaskFunctions.OPERATORS))
                .build());
    RelNode plan = planner.rel(planner.validate(planner.parse(query))).project();
    return new RelToSqlConverter(DatabricksDialect.INSTANCE)
        .visitRoot(plan)
        .asStatement()
        .toSqlString(DatabricksDialect.INSTANCE)
        .getSql();
  }
}
