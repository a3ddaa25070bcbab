package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Timestamp literals in client SQL keep their microseconds all the way to the warehouse: one
 * microsecond after a stored purchase time no longer matches it, and a literal selected comes back
 * with all six digits on the Arrow paths (Avatica's rows carry milliseconds).
 */
class TimestampLiteralPrecisionTest {
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());

  @Test
  void oneMicrosecondAfterAStoredTimeExcludesThatTime() {
    QueryEngine engine = TestingGateway.shared().engine();
    long millis = ((Number) rows(engine, "SELECT MIN(purchased_at) FROM cdp.purchases WHERE order_id > 1000").get(0)[0]).longValue();
    String stored = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000) * 1_000_000,
        java.time.ZoneOffset.UTC).toString().replace('T', ' ');
    if (!stored.contains(".")) {
      stored = stored + (stored.length() == 16 ? ":00" : "") + ".000000";
    }
    String later = stored.substring(0, stored.indexOf('.')) + "." + String.format("%06d", Integer.parseInt(
        (stored.substring(stored.indexOf('.') + 1) + "000000").substring(0, 6)) + 1);
    String count = "SELECT COUNT(*) FROM cdp.purchases WHERE purchased_at %s TIMESTAMP '%s'";
    QueryPlan plan = engine.prepare(ADMIN, count.formatted(">=", later));
    assertThat(plan.pushdowns().get(0).sql()).contains(later);
    long atOrAfter = count(engine, count.formatted(">=", stored));
    long after = count(engine, count.formatted(">=", later));
    long at = count(engine, count.formatted("=", stored));
    assertThat(at).isPositive();
    assertThat(atOrAfter - after).isEqualTo(at);
  }

  @Test
  void aSelectedLiteralKeepsSixFractionalDigitsOnTheArrowPaths() throws Exception {
    QueryEngine engine = TestingGateway.shared().engine();
    QueryPlan plan = engine.prepare(ADMIN, "SELECT TIMESTAMP '2026-03-01 09:15:51.123456' AS t FROM cdp.products LIMIT 1");
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
        QueryCursor cursor = engine.execute(ADMIN, plan, List.of(), Optional.empty())) {
      ArrowBatches batches = cursor.arrow(allocator, 10);
      assertThat(batches.next()).isTrue();
      Object value = batches.root().getVector(0).getObject(0);
      assertThat(value).isEqualTo(LocalDateTime.of(2026, 3, 1, 9, 15, 51, 123_456_000));
    }
  }

  private static long count(QueryEngine engine, String sql) {
    return ((Number) rows(engine, sql).get(0)[0]).longValue();
  }

  private static List<Object[]> rows(QueryEngine engine, String sql) {
    return rows(engine, engine.prepare(ADMIN, sql));
  }

  private static List<Object[]> rows(QueryEngine engine, QueryPlan plan) {
    List<Object[]> rows = new ArrayList<>();
    try (QueryCursor cursor = engine.execute(ADMIN, plan, List.of(), Optional.empty())) {
      while (!cursor.done()) {
        rows.addAll(cursor.fetch(1000));
      }
    }
    return rows;
  }


}
