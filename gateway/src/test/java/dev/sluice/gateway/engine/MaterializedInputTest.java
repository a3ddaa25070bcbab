package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A nested-loop join over a warehouse input reads that input once, not once per outer row. */
class MaterializedInputTest {
  @Test
  void innerInputsOfNestedLoopJoinsAreReadOnce() {
    var server = TestingGateway.shared();
    Principal mia = new Principal("mia", Set.of("marketer"), Map.of("region", "EU"));
    String sql =
        "SELECT COUNT(*) FROM cdp.web_sessions w WHERE w.customer_id NOT IN (SELECT customer_id FROM cdp.customers)";
    QueryPlan plan = server.engine().prepare(mia, sql);
    assertThat(plan.explainText()).contains("EnumerableNestedLoopJoin").contains("MaterializedInput");
    try (QueryCursor cursor = server.engine().execute(mia, plan, List.of(), Optional.empty())) {
      assertThat(cursor.fetch(10)).singleElement().satisfies(row -> assertThat(((Number) row[0]).longValue()).isZero());
    }
  }
}
