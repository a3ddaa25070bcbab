package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the planner pushes down, checked on the plans and the generated SQL themselves. */
class QueryPlannerTest {
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());
  /** Which demo warehouse holds each virtual table. */
  private static final Map<String, String> WAREHOUSE_OF =
      Map.of(
          "customers", "dw", "purchases", "dw", "products", "dw",
          "propensity_scores", "lake", "web_sessions", "lake");

  private final GatewayServer server = TestingGateway.shared();

  @Test
  void pushesEverySingleWarehouseCorpusQueryDownWhole() {
    for (Corpus.Query query : Corpus.load()) {
      QueryPlan plan = server.engine().prepare(ADMIN, query.sql());
      Set<String> warehouses = new java.util.TreeSet<>();
      WAREHOUSE_OF.forEach((table, warehouse) -> {
        if (query.sql().contains("cdp." + table)) {
          warehouses.add(warehouse);
        }
      });
      if (warehouses.size() > 1) {
        assertThat(plan.wholePushdown()).as(query.name()).isEmpty();
        assertThat(plan.pushdowns()).as(query.name()).extracting(QueryPlan.Pushdown::warehouse)
            .containsExactlyInAnyOrder("dw", "lake");
      } else {
        assertThat(plan.wholePushdown()).as("%s:%n%s", query.name(), plan.explainText()).isPresent();
      }
      for (QueryPlan.Pushdown pushdown : plan.pushdowns()) {
        assertThat(pushdown.sql()).as(query.name()).doesNotContainPattern("SELECT\\s+\\*|\\.\\*").doesNotContain("cdp");
      }
    }
  }

  @Test
  void federatedTopNOverAMergeJoinStopsAtItsLimitInsteadOfSortingTheJoin() {
    // Both warehouses return their side sorted by customer_id; the gateway merges them, and the
    // merged rows are in customer_id order already, so LIMIT 100 can stop after 100 rows.
    String sql = """
        SELECT c.customer_id, c.loyalty_tier, p.bread
        FROM cdp.customers AS c
        JOIN cdp.propensity_scores AS p ON p.customer_id = c.customer_id
        WHERE p.bread >= 0.66
        ORDER BY c.customer_id
        LIMIT 100""";
    QueryPlan plan = server.engine().prepare(ADMIN, sql);
    assertThat(plan.explainText())
        .contains("EnumerableMergeJoin", "EnumerableLimit(fetch=[100])")
        .doesNotContain("EnumerableSort");
    // The warehouses' SQL keeps its ORDER BY at the top level, not inside a derived table.
    for (QueryPlan.Pushdown pushdown : plan.pushdowns()) {
      assertThat(pushdown.sql()).endsWith("ORDER BY \"household_key\"");
    }
  }

  @Test
  void caseOfStringLiteralsIsVarcharNotPaddedChar() {
    QueryPlan plan =
        server.engine().prepare(
            ADMIN, "SELECT CASE WHEN lifetime_value > 1 THEN 'vip' ELSE 'occasional' END AS s FROM cdp.customers");
    assertThat(plan.columns().get(0).type().getSqlTypeName().getName()).isEqualTo("VARCHAR");
    assertThat(plan.wholePushdown().orElseThrow().sql()).contains("THEN 'vip' ELSE 'occasional'");
  }

  @Test
  void plansAreCachedBySqlText() {
    String sql = "SELECT COUNT(*) FROM cdp.products WHERE price > 10";
    assertThat(server.engine().prepare(ADMIN, sql)).isSameAs(server.engine().prepare(ADMIN, sql));
  }

  @Test
  void physicalNamesAndWarehouseFunctionsAreUnreachable() {
    for (String sql : new String[] {
        "SELECT * FROM households",
        "SELECT * FROM retail.households",
        "SELECT * FROM dw.retail.households",
        "SELECT * FROM information_schema.tables",
        "SELECT household_key FROM cdp.customers",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT pg_read_file('/etc/passwd')"}) {
      assertThatThrownBy(() -> server.engine().prepare(ADMIN, sql))
          .as(sql)
          .isInstanceOfSatisfying(
              GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_OBJECT));
    }
  }

  @Test
  void commentsCannotSmuggleASecondStatement() {
    assertThatThrownBy(() -> server.engine().prepare(ADMIN, "SELECT 1 /* ; */ ; -- x\n DELETE FROM cdp.customers"))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_READ_ONLY));
    // A semicolon inside a literal or comment, or a trailing one, is still one statement.
    assertThat(server.engine().prepare(ADMIN, "SELECT ';' AS s FROM cdp.products -- ;\n;").columns()).hasSize(1);
  }

  @Test
  void aSingleWarehouseDistinctCountGoesDownWhole() {
    // Found by the search over the warehouse's rules alone: the whole search used to split the
    // COUNT(DISTINCT) into two aggregates in the warehouse's SQL.
    QueryPlan plan = server.engine().prepare(ADMIN, """
        SELECT loyalty_tier, COUNT(DISTINCT customer_id) AS buyers
        FROM cdp.purchases JOIN cdp.customers USING (customer_id)
        GROUP BY loyalty_tier""");
    assertThat(plan.wholePushdown()).isPresent();
    assertThat(plan.wholePushdown().orElseThrow().sql()).containsOnlyOnce("GROUP BY").contains("COUNT(DISTINCT");
  }

  @Test
  void aSingleWarehouseQueryTheWarehouseCannotRunWholeIsStillPlanned() {
    // No warehouse's SQL rendering takes an UNNEST: the search over the warehouse's rules alone
    // finds no plan, and the whole search puts the UNNEST and the join in the gateway.
    String sql = """
        SELECT c.customer_id, t.x
        FROM cdp.customers AS c CROSS JOIN UNNEST(ARRAY[1, 2]) AS t(x)
        WHERE c.customer_id < 3""";
    QueryPlan plan = server.engine().prepare(ADMIN, sql);
    assertThat(plan.wholePushdown()).as(plan.explainText()).isEmpty();
    assertThat(plan.pushdowns()).extracting(QueryPlan.Pushdown::warehouse).containsOnly("dw");
    assertThat(plan.explainText()).contains("EnumerableUncollect");
  }
}
