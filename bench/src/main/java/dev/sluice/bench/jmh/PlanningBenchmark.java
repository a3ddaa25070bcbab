package dev.sluice.bench.jmh;

import dev.sluice.dialects.Warehouse;
import dev.sluice.dialects.databricks.DatabricksDialect;
import dev.sluice.dialects.duckdb.DuckDbDialect;
import dev.sluice.dialects.postgresql.PostgresDialect;
import dev.sluice.dialects.redshift.RedshiftDialect;
import dev.sluice.gateway.catalog.Governance;
import dev.sluice.gateway.catalog.PolicySource;
import dev.sluice.gateway.catalog.VirtualCatalog;
import dev.sluice.gateway.catalog.WarehouseConnector;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.config.WarehouseConfig;
import dev.sluice.gateway.demo.DemoDataGenerator;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.gateway.engine.QueryPlanner;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.policies.Principal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.sql.SqlDialect;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning cost per corpus query: parse, validate against the caller's governed view (masks and
 * row filters applied), optimize and render each warehouse's pushdown SQL in the target dialect.
 * Each invocation plans the next query of the public corpus the user may run (for {@code ana},
 * aggregation-only, the floor's rewrite included), so the score is the mean over those queries; {@code -prof gc} adds allocation per query ({@code gc.alloc.rate.norm}).
 * {@link #planned} bypasses the plan cache; {@link #cacheHit} is a plan-cache hit through the
 * engine, as a repeated query gets it.
 *
 * <p>{@link #planned} warms up for a minute and runs in two forks: on two cores the JIT takes
 * about 60 s to finish compiling Calcite's planning paths (after 6 s of warm-up the score was
 * still two to three times the settled one), and each fork settles on its own compiled code, the
 * forks' means differing by up to 40%. Compare changes with {@code -f 3} or more.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Duser.timezone=UTC", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PlanningBenchmark {
  static {
    // As the gateway runs: Calcite's settings before its classes load (see CalciteSettings).
    dev.sluice.gateway.engine.CalciteSettings.apply();
  }

  private static final Map<String, SqlDialect> DIALECTS = Map.of(
      "duckdb", DuckDbDialect.INSTANCE,
      "postgresql", PostgresDialect.INSTANCE,
      "redshift", RedshiftDialect.INSTANCE,
      "databricks", DatabricksDialect.INSTANCE);
  private static final Map<String, Principal> USERS = Map.of(
      "admin", new Principal("admin", Set.of("admin"), Map.of()),
      "mia", new Principal("mia", Set.of("marketer"), Map.of("region", "EU")),
      "ana", new Principal("ana", Set.of("analyst"), Map.of()));

  @Param({"duckdb", "postgresql", "redshift", "databricks"})
  public String dialect;

  @Param({"admin", "mia", "ana"})
  public String user;

  private final List<Warehouse> opened = new ArrayList<>();
  private List<String> queries;
  private Principal principal;
  private Governance governance;
  private QueryPlanner planner;
  private QueryEngine engine;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path data = Path.of("bench", "target", "jmh-demo").toAbsolutePath();
    new DemoDataGenerator(data, 10_000, 42).generate();
    GatewayConfig config = ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", data.toString())));
    List<Warehouse> warehouses = new ArrayList<>();
    for (WarehouseConfig warehouseConfig : config.warehouses()) {
      Warehouse duckDb = WarehouseConnector.open(warehouseConfig);
      opened.add(duckDb);
      // The DuckDB files serve the catalog's metadata only; the dialect alone decides the SQL.
      warehouses.add(new Warehouse(duckDb.name(), DIALECTS.get(dialect), duckDb.dataSource(), () -> {}));
    }
    // The demo's policies grant the gateway's own audit.query_log, so the catalog must hold it.
    VirtualCatalog catalog = dev.sluice.gateway.testing.TestingGateway.withAuditTable(
        VirtualCatalog.build(config.schema(), warehouses));
    governance = new Governance(catalog, new PolicySource(config.policies(), VariableResolver.none()).load());
    planner = new QueryPlanner(catalog);
    engine = new QueryEngine(catalog, governance, config.engine());
    principal = USERS.get(user);
    // The queries the user may run (ana, aggregation-only, is refused customer-level ones).
    List<String> runnable = new ArrayList<>();
    for (String sql : Corpus.load().stream().map(Corpus.Query::sql).toList()) {
      try {
        engine.prepare(principal, sql); // fills the plan cache for cacheHit
        runnable.add(sql);
      } catch (dev.sluice.gateway.GatewayException refused) {
        // not this user's to run
      }
    }
    queries = List.copyOf(runnable);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    engine.close();
    for (Warehouse warehouse : opened) {
      warehouse.close();
    }
  }

  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Duser.timezone=UTC", "-Xmx2g"})
  @Warmup(iterations = 20, time = 3)
  @Measurement(iterations = 6, time = 3)
  public QueryPlan planned() {
    String sql = queries.get(next++ % queries.size());
    return planner.plan(sql, governance.viewOf(principal));
  }

  @Benchmark
  public QueryPlan cacheHit() {
    String sql = queries.get(next++ % queries.size());
    return engine.prepare(principal, sql);
  }
}
