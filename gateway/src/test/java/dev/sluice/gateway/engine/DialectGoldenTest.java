package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.dialects.Warehouse;
import dev.sluice.dialects.databricks.DatabricksDialect;
import dev.sluice.dialects.duckdb.DuckDbDialect;
import dev.sluice.dialects.postgresql.PostgresDialect;
import dev.sluice.dialects.redshift.RedshiftDialect;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.catalog.Governance;
import dev.sluice.gateway.catalog.PolicySource;
import dev.sluice.gateway.catalog.VirtualCatalog;
import dev.sluice.gateway.catalog.WarehouseConnector;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.config.WarehouseConfig;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import dev.sluice.dialects.postgresql.TestingPostgres;
import dev.sluice.gateway.demo.DemoDataGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of the SQL each dialect pushes down: every corpus query, as {@code admin}, as
 * {@code max} and as {@code ana} (aggregation-only: the minimum group size's SQL, or the refusal), planned against the demo with every warehouse speaking the target dialect, written
 * to {@code src/test/resources/golden/<dialect>/<user>/<query>.sql}. A reviewer reads the diff of
 * these files when a dialect or the planner changes; {@code -Dgolden.update=true} rewrites them.
 *
 * <p>The warehouses' data sources are the demo's DuckDB files whatever the dialect: they only
 * serve Calcite's metadata discovery here, the dialect alone decides the rendered SQL. Each
 * expected SQL is also re-parsed by Calcite's parser set up like the target warehouse, so a golden
 * file can never hold text the dialect's own grammar rejects; the PostgreSQL and Redshift
 * renderings of {@code dw} pushdowns also run on an embedded PostgreSQL against DuckDB's answers.
 * Databricks SQL runs on Spark in the dialects module's SparkConformanceTest, not here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DialectGoldenTest {
  static final String UPDATE_PROPERTY = "golden.update";
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final Map<String, SqlDialect> DIALECTS = new LinkedHashMap<>();

  static {
    DIALECTS.put("duckdb", DuckDbDialect.INSTANCE);
    DIALECTS.put("postgresql", PostgresDialect.INSTANCE);
    DIALECTS.put("redshift", RedshiftDialect.INSTANCE);
    DIALECTS.put("databricks", DatabricksDialect.INSTANCE);
  }

  private static final Pattern SPARK_POSITION = Pattern.compile("\\bPOSITION\\(");

  private static final List<String> KNOWN_REDSHIFT_FLOOR =
      List.of();

  private static final Map<String, Principal> USERS = Map.of(
      "admin", new Principal("admin", Set.of("admin"), Map.of()),
      "max", new Principal("max", Set.of("marketer"), Map.of()),
      "ana", new Principal("ana", Set.of("analyst"), Map.of()));

  private final List<Warehouse> duckDbWarehouses = new ArrayList<>();
  private final Map<String, Planning> planning = new LinkedHashMap<>();

  private record Planning(QueryPlanner planner, Governance governance) {}

  @BeforeAll
  void buildCatalogs() {
    GatewayConfig config = TestingGateway.demoConfig();
    for (WarehouseConfig warehouse : config.warehouses()) {
      duckDbWarehouses.add(WarehouseConnector.open(warehouse));
    }
    PolicySource policies = new PolicySource(config.policies(), VariableResolver.none());
    for (Map.Entry<String, SqlDialect> dialect : DIALECTS.entrySet()) {
      List<Warehouse> speakingDialect = duckDbWarehouses.stream()
          .map(duckDb -> new Warehouse(duckDb.name(), dialect.getValue(), duckDb.dataSource(), () -> {}))
          .toList();
      VirtualCatalog catalog = TestingGateway.withAuditTable(VirtualCatalog.build(config.schema(), speakingDialect));
      planning.put(
          dialect.getKey(), new Planning(new QueryPlanner(catalog), new Governance(catalog, policies.load())));
    }
  }

  @AfterAll
  void close() throws IOException {
    for (Warehouse warehouse : duckDbWarehouses) {
      warehouse.close();
    }
  }

  Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String dialect : DIALECTS.keySet()) {
      for (String user : List.of("admin", "max", "ana")) {
        for (Corpus.Query query : Corpus.load()) {
          cases.add(Arguments.of(dialect, user, query));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} as {1}: {2}")
  @MethodSource("cases")
  void matchesGoldenFile(String dialect, String user, Corpus.Query query) throws IOException {
    Rendering rendering = render(dialect, user, query);
    Path file = GOLDEN.resolve(dialect).resolve(user).resolve(query.name() + ".sql");
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, rendering.text(), StandardCharsets.UTF_8);
    } else {
      if (!Files.isRegularFile(file)) {
        fail("Golden file " + file.toAbsolutePath() + " is missing; review the rendering and create it with"
            + " -D" + UPDATE_PROPERTY + "=true. Rendered:\n" + rendering.text());
      }
      String expected = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(rendering.text())
          .as("%s differs from the rendered SQL; if the change is intended, review it and rewrite the golden"
              + " files with -D%s=true", file, UPDATE_PROPERTY)
          .isEqualTo(expected);
    }
    for (String sql : rendering.pushdowns()) {
      assertParses(dialect, sql, file);
    }
  }

  /**
   * Every {@code dw} pushdown of the PostgreSQL and Redshift renderings runs on a real (embedded)
   * PostgreSQL holding the demo's dw rows, and answers as the DuckDB rendering of the same
   * pushdown does on the DuckDB demo file. Redshift's SHA2(text, bits) is created as a
   * PostgreSQL function, as in the dialects module's RedshiftDriverAgainstPostgresTest.
   */
  @Test
  void postgresAndRedshiftGoldensRunOnPostgresLikeDuckDb(@TempDir Path directory) throws Exception {
    Warehouse duckDbDw =
        duckDbWarehouses.stream().filter(w -> w.name().equals("dw")).findFirst().orElseThrow();
    DemoDataGenerator demo =
        new DemoDataGenerator(TestingGateway.demoDirectory(), TestingGateway.CUSTOMERS, TestingGateway.SEED);
    List<String> problems = new ArrayList<>();
    int compared = 0;
    try (EmbeddedPostgres postgres = TestingPostgres.start()) {
      PostgresWarehouseDifferentialTest.copyDw(postgres, demo.dwFile(), directory);
      try (Connection pg = postgres.getPostgresDatabase().getConnection();
          Connection duckDb = duckDbDw.dataSource().getConnection()) {
        try (Statement statement = pg.createStatement()) {
          statement.execute("CREATE FUNCTION sha2(text, integer) RETURNS text IMMUTABLE LANGUAGE sql AS"
              + " $$ SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') $$");
        }
        for (String dialect : List.of("postgresql", "redshift")) {
          for (String user : List.of("admin", "max", "ana")) {
            for (Corpus.Query query : Corpus.load()) {
              List<QueryPlan.Pushdown> reference = render("duckdb", user, query).plan();
              List<QueryPlan.Pushdown> target = render(dialect, user, query).plan();
              if (reference.size() != target.size()) {
                problems.add(dialect + "/" + user + "/" + query.name() + ": other pushdowns than DuckDB's");
                continue;
              }
              for (int i = 0; i < target.size(); i++) {
                if (!target.get(i).warehouse().equals("dw")) {
                  continue;
                }
                String where = dialect + "/" + user + "/" + query.name() + " pushdown " + (i + 1);
                try {
                  List<List<Object>> expected = CorpusDifferentialTest.sorted(
                      CorpusDifferentialTest.normalize(run(duckDb, reference.get(i), query)));
                  List<List<Object>> actual = CorpusDifferentialTest.sorted(
                      CorpusDifferentialTest.normalize(run(pg, target.get(i), query)));
                  if (!actual.equals(expected)) {
                    problems.add(
                        where + ": " + actual.size() + " rows differ from DuckDB's " + expected.size());
                  }
                  compared++;
                } catch (SQLException e) {
                  problems.add(where + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
              }
            }
          }
        }
      }
    }
    // Known bug, recorded here so the rest stays checked: RedshiftDialect renders Calcite's
    // FLOOR(date TO YEAR) (the birth_date year mask) verbatim, which neither Redshift nor
    // PostgreSQL parses; it needs DATE_TRUNC as PostgresDialect renders it. Remove these once the
    // dialect is fixed (this assertion fails then, as a reminder).
    List<String> known =
        problems.stream().filter(p -> KNOWN_REDSHIFT_FLOOR.stream().anyMatch(p::startsWith)).toList();
    assertThat(known).as("known Redshift FLOOR(... TO YEAR) failures").hasSize(KNOWN_REDSHIFT_FLOOR.size())
        .allMatch(p -> p.contains("syntax error at or near \"TO\""));
    problems.removeAll(known);
    assertThat(problems).as("pushdowns compared: %d", compared).isEmpty();
    assertThat(compared).isGreaterThan(20);
  }

  private static List<List<Object>> run(
      Connection connection, QueryPlan.Pushdown pushdown, Corpus.Query query) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(pushdown.sql())) {
      for (int i = 0; i < pushdown.parameterOrder().size(); i++) {
        statement.setObject(i + 1, query.params().get(pushdown.parameterOrder().get(i)));
      }
      try (ResultSet rs = statement.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          Object[] row = new Object[columns];
          for (int c = 0; c < columns; c++) {
            row[c] = rs.getObject(c + 1);
          }
          rows.add(java.util.Arrays.asList(row));
        }
        return rows;
      }
    }
  }

  /**
   * Redshift rejects INTERSECT ALL: the plan must neither crash the rendering nor push the ALL
   * form down. Today the planner keeps the set operation in the gateway (two plain scans pushed
   * down); a refusal would be recorded as "-- refused" instead, and either is acceptable.
   */
  @Test
  void redshiftNeverReceivesIntersectAll() {
    Corpus.Query intersectAll = new Corpus.Query(
        "intersect_all",
        "SELECT customer_id FROM cdp.customers INTERSECT ALL SELECT customer_id FROM cdp.customers",
        List.of());
    Rendering redshift = render("redshift", "admin", intersectAll);
    assertThat(redshift.pushdowns())
        .noneMatch(sql -> sql.toUpperCase(java.util.Locale.ROOT).contains("INTERSECT ALL"));
    assertThat(redshift.text()).containsAnyOf("-- refused (", "-- execution: federated");
  }

  /** The golden text and, separately, each pushdown's SQL for the parse check. */
  private record Rendering(String text, List<String> pushdowns, List<QueryPlan.Pushdown> plan) {}

  private Rendering render(String dialect, String user, Corpus.Query query) {
    Planning target = planning.get(dialect);
    StringBuilder text = new StringBuilder();
    text.append("-- ").append(query.name()).append(" as ").append(user).append(", ").append(dialect)
        .append(" dialect; regenerate with -D").append(UPDATE_PROPERTY).append("=true\n");
    List<String> pushdowns = new ArrayList<>();
    List<QueryPlan.Pushdown> planned = new ArrayList<>();
    try {
      QueryPlan plan = target.planner().plan(query.sql(), target.governance().viewOf(USERS.get(user)));
      text.append("-- execution: ")
          .append(plan.execution() instanceof QueryPlan.WholePushdown ? "whole pushdown" : "federated")
          .append('\n');
      for (QueryPlan.Pushdown pushdown : plan.pushdowns()) {
        text.append("-- warehouse ").append(pushdown.warehouse());
        if (!pushdown.parameterOrder().isEmpty()) {
          text.append(", parameters ").append(pushdown.parameterOrder());
        }
        text.append('\n').append(pushdown.sql().strip()).append(";\n");
        pushdowns.add(pushdown.sql());
        planned.add(pushdown);
      }
    } catch (GatewayException e) {
      // A query the dialect cannot express (Redshift's INTERSECT ALL, say) is refused, not
      // mistranslated: the refusal is what the golden file records.
      text.append("-- refused (").append(e.code()).append("): ")
          .append(e.getMessage().replace("\n", "\n--   ")).append('\n');
    }
    return new Rendering(text.toString(), pushdowns, planned);
  }

  /**
   * Parses with Calcite's parser as the target warehouse would read the text: double-quoted
   * identifiers for DuckDB, PostgreSQL and Redshift, backticks for Databricks, case kept, and the
   * lenient conformance (LIMIT/OFFSET forms, {@code !=} and the like that Calcite's default rejects).
   * Calcite's core parser is a stand-in for each engine's grammar (Babel is not on the classpath);
   * the engines themselves run this SQL in the differential and conformance suites.
   */
  private static void assertParses(String dialect, String sql, Path file) {
    SqlParser.Config config = DIALECTS.get(dialect).configureParser(SqlParser.config())
        .withConformance(SqlConformanceEnum.LENIENT);
    if (dialect.equals("databricks")) {
      config = config.withQuoting(Quoting.BACK_TICK);
      // Spark's two-argument POSITION(substr, str) (the dialect's rendering of POSITION(a IN b))
      // is not in Calcite's grammar and Babel is not available offline; only this check is
      // skipped for such SQL, which SparkConformanceTest runs on Spark itself.
      if (SPARK_POSITION.matcher(sql).find()) {
        return;
      }
    }
    try {
      SqlParser.create(sql, config).parseQuery();
    } catch (SqlParseException e) {
      fail("SQL of " + file + " does not parse as " + dialect + ": " + e.getMessage() + "\n" + sql);
    }
  }
}
