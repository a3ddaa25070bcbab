package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every query arms two timers due after the query timeout (five minutes by default) and cancels
 * them when it ends: a canceled timer must leave the scheduler then, or a busy gateway keeps
 * hundreds of thousands of them.
 */
class QueryTimersTest {
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());

  @Test
  void timersOfFinishedQueriesDoNotStayScheduled() {
    QueryEngine engine = TestingGateway.shared().engine();
    QueryPlan plan = engine.prepare(ADMIN, "SELECT customer_id FROM cdp.customers WHERE customer_id = ?");
    int before = engine.scheduledTimers();
    for (int i = 0; i < 200; i++) {
      try (QueryCursor cursor = engine.execute(ADMIN, plan, List.of(1 + i), Optional.empty())) {
        while (!cursor.done()) {
          cursor.fetch(100);
        }
      }
    }
    assertThat(engine.scheduledTimers()).isLessThanOrEqualTo(before + 2);
  }
}
