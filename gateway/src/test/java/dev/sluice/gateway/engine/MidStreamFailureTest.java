package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A DuckDB query that fails after its first rows fails for the client every time, never ends as
 * if complete. DuckDB's JDBC row cursor ends such a streamed query silently about once in 40 runs
 * (seen with DuckDB 1.4.2); the engine reads DuckDB rows from its Arrow export, which does not.
 */
class MidStreamFailureTest {
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());
  // Fails on the first purchase with order_id >= 2,000,000: hundreds of thousands of rows in.
  private static final String FAILING =
      "SELECT CAST(CASE WHEN order_id < 2000000 THEN '1' ELSE 'x' END AS INTEGER) AS v FROM cdp.purchases";

  @Test
  void rowsOfAQueryFailingMidStreamEndInAnErrorEveryTime() {
    QueryEngine engine = TestingGateway.shared().engine();
    QueryPlan plan = engine.prepare(ADMIN, FAILING);
    for (int run = 0; run < 60; run++) {
      long rows = 0;
      try (QueryCursor cursor = engine.execute(ADMIN, plan, List.of(), Optional.empty())) {
        while (!cursor.done()) {
          rows += cursor.fetch(10_000).size();
        }
        fail("Run " + run + " ended as if complete after " + rows + " rows");
      } catch (GatewayException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.WAREHOUSE_ERROR);
        assertThat(e.getMessage()).contains("Conversion Error");
      }
      assertThat(rows).as("rows before the failure in run %d", run).isPositive();
    }
  }
}
