package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.dialects.Warehouse;
import dev.sluice.gateway.catalog.Governance;
import dev.sluice.gateway.catalog.PolicySource;
import dev.sluice.gateway.catalog.VirtualCatalog;
import dev.sluice.gateway.catalog.WarehouseConnector;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.config.WarehouseConfig;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The comment naming the query and user that starts every statement the engine pushes down. */
class QueryAttributionTest {
  private static final Principal MIA = new Principal("mia", Set.of("marketer"), Map.of("region", "EU"));

  private static final List<Warehouse> opened = new ArrayList<>();
  private static RecordingDataSource dw;
  private static QueryEngine engine;

  @BeforeAll
  static void startEngine() {
    GatewayConfig config = TestingGateway.demoConfig();
    List<Warehouse> warehouses = new ArrayList<>();
    for (WarehouseConfig warehouseConfig : config.warehouses()) {
      Warehouse warehouse = WarehouseConnector.open(warehouseConfig);
      opened.add(warehouse);
      if (warehouse.name().equals("dw")) {
        dw = new RecordingDataSource(warehouse.dataSource());
        warehouse = new Warehouse("dw", warehouse.dialect(), dw.dataSource(), () -> {});
      }
      warehouses.add(warehouse);
    }
    VirtualCatalog catalog = TestingGateway.withAuditTable(VirtualCatalog.build(config.schema(), warehouses));
    Governance governance =
        new Governance(catalog, new PolicySource(config.policies(), VariableResolver.of(Map.of())).load());
    engine = new QueryEngine(catalog, governance, config.engine());
    engine.start();
  }

  @AfterAll
  static void stopEngine() throws IOException {
    engine.close();
    for (Warehouse warehouse : opened) {
      warehouse.close();
    }
  }

  @Test
  void everyPushdownStartsWithTheQueryIdAndUser() throws Exception {
    QueryPlan plan = engine.prepare(MIA, "SELECT COUNT(*) FROM cdp.customers");
    String first;
    String second;
    try (QueryCursor cursor = engine.execute(MIA, plan, List.of(), Optional.empty())) {
      assertThat(cursor.fetch(10)).hasSize(1);
      first = cursor.queryId();
    }
    try (QueryCursor cursor = engine.execute(MIA, plan, List.of(), Optional.empty())) {
      second = cursor.queryId();
    }
    assertThat(first).isNotEqualTo(second).matches("[0-9a-f-]{36}");
    List<String> statements = dw.statements();
    String sent = statements.get(statements.size() - 2);
    assertThat(sent).startsWith("/* sluice query_id=" + first + " user=mia */ SELECT");
    assertThat(statements.get(statements.size() - 1)).startsWith("/* sluice query_id=" + second + " user=mia */ ");
    // The shared, cached plan keeps the SQL without anybody's comment.
    assertThat(plan.wholePushdown().orElseThrow().sql()).doesNotContain("sluice");
  }

  @Test
  void federatedPushdownsAreAttributedToo() {
    String sql = "SELECT c.region, COUNT(*) FROM cdp.customers c "
        + "JOIN cdp.propensity_scores p ON c.customer_id = p.customer_id WHERE p.bread > ? GROUP BY c.region";
    QueryPlan plan = engine.prepare(MIA, sql);
    assertThat(plan.execution()).isInstanceOf(QueryPlan.Federated.class);
    int before = dw.statements().size();
    String queryId;
    try (QueryCursor cursor = engine.execute(MIA, plan, List.of(0.5), Optional.empty())) {
      while (!cursor.done()) {
        cursor.fetch(1000);
      }
      queryId = cursor.queryId();
    }
    List<String> sent = dw.statements().subList(before, dw.statements().size());
    assertThat(sent).isNotEmpty().allSatisfy(statement ->
        assertThat(statement).startsWith("/* sluice query_id=" + queryId + " user=mia */ SELECT"));
  }

  @Test
  void userNamesCannotCloseTheCommentOrInjectSql() {
    String hostile = "eve */ DROP TABLE x; --\n/*";
    String comment = new QueryAttribution("id", hostile).comment();
    assertThat(comment).isEqualTo("/* sluice query_id=id user=eve____DROP_TABLE_x__--___ */");
    assertThat(comment.indexOf("*/")).isEqualTo(comment.length() - 2);
    assertThat(QueryAttribution.sanitizedUser("mia.rossi@example.com")).isEqualTo("mia.rossi@example.com");
    assertThat(QueryAttribution.sanitizedUser("ü'\"` ")).isEqualTo("_____");
    assertThat(QueryAttribution.sanitizedUser("a".repeat(100))).hasSize(64);
  }

  @Test
  void theAttributedStatementStillParsesAsOneQuery() throws Exception {
    String sql = new QueryAttribution("7f3c", "x*/y").attach("SELECT 1");
    assertThat(SqlParser.create(sql).parseStmtList()).hasSize(1);
  }
}
