package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.PushdownMode;
import dev.sluice.gateway.config.WarehouseConfig;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo with {@code dw} configured {@code pushdown: strict}. */
class StrictPushdownTest {
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());
  private static final List<String> LAKE_TABLES = List.of("cdp.propensity_scores", "cdp.web_sessions");

  private static GatewayServer server;

  @BeforeAll
  static void start() {
    server = new GatewayServer(TestingGateway.demoConfig(StrictPushdownTest::dwStrict));
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static GatewayConfig dwStrict(GatewayConfig config) {
    List<WarehouseConfig> warehouses = new ArrayList<>();
    for (WarehouseConfig warehouse : config.warehouses()) {
      warehouses.add(warehouse.name().equals("dw") ? warehouse.withPushdown(PushdownMode.STRICT) : warehouse);
    }
    return config.withWarehouses(warehouses);
  }

  @Test
  void singleWarehouseCorpusQueriesStillRun() {
    int ran = 0;
    for (Corpus.Query query : Corpus.load()) {
      if (LAKE_TABLES.stream().anyMatch(query.sql()::contains)) {
        continue;
      }
      QueryPlan plan = server.engine().prepare(ADMIN, query.sql());
      try (QueryCursor cursor =
          server.engine().execute(ADMIN, plan, Arrays.asList(query.paramArray()), Optional.empty())) {
        while (!cursor.done()) {
          cursor.fetch(10_000);
        }
      }
      ran++;
    }
    assertThat(ran).isGreaterThan(5);
  }

  @Test
  void lakeOnlyQueriesAreNotAffected() {
    String sql = "SELECT device, COUNT(*) FROM cdp.web_sessions GROUP BY device";
    assertThat(server.engine().prepare(ADMIN, sql).wholePushdown()).isPresent();
  }

  @Test
  void crossWarehouseJoinIsRefusedAtPlanTime() {
    String sql = "SELECT c.region, AVG(p.bread) FROM cdp.customers c "
        + "JOIN cdp.propensity_scores p ON c.customer_id = p.customer_id GROUP BY c.region";
    assertThatThrownBy(() -> server.engine().prepare(ADMIN, sql))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED))
        .hasMessageStartingWith(
            "warehouse dw is configured pushdown: strict and this query needs the gateway to join data from dw and lake");
  }

  @Test
  void explainOfACrossWarehouseJoinStillShowsThePlan() {
    String sql = "EXPLAIN PLAN FOR SELECT COUNT(*) FROM cdp.customers c "
        + "JOIN cdp.web_sessions w ON c.customer_id = w.customer_id";
    assertThat(server.engine().prepare(ADMIN, sql).explainText()).contains("Pushdown to warehouse dw");
  }
}
