package dev.sluice.gateway.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.ArrowBatches;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A query's rows as Arrow batches equal its rows as Java arrays, on every source: DuckDB's native
 * export, JDBC rows of a federated plan, and rows the gateway computes (EXPLAIN); and the batches
 * keep the microseconds the row representation drops.
 */
class ArrowBatchesTest {
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());
  private static final Principal MIA = new Principal("mia", Set.of("marketer"), Map.of("region", "EU"));

  private BufferAllocator allocator;

  @BeforeEach
  void createAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void everyBufferIsFreed() {
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  @Test
  void duckdbPushdownBatchesEqualRows() {
    String sql = "SELECT order_id, customer_id, product_id, purchased_at, amount FROM cdp.purchases"
        + " WHERE customer_id < 30000";
    List<List<Object>> arrow = arrowRows(ADMIN, sql, 20_000);
    assertThat(arrow).hasSizeGreaterThan(50_000).isEqualTo(javaRows(ADMIN, sql));
  }

  @Test
  void customersWithMasksAndEveryTypeEqualRows() {
    String sql = "SELECT * FROM cdp.customers WHERE customer_id < 5000";
    for (Principal principal : List.of(ADMIN, MIA)) {
      List<List<Object>> arrow = arrowRows(principal, sql, 1_000);
      assertThat(arrow).isNotEmpty().isEqualTo(javaRows(principal, sql));
    }
  }

  @Test
  void federatedJoinBatchesEqualRows() {
    String sql = "SELECT c.customer_id, c.city, p.bread, c.signup_at FROM cdp.customers AS c"
        + " JOIN cdp.propensity_scores AS p ON p.customer_id = c.customer_id"
        + " WHERE c.customer_id < 3000";
    QueryPlan plan = engine().prepare(ADMIN, sql);
    assertThat(plan.wholePushdown()).isEmpty();
    List<List<Object>> arrow = arrowRows(ADMIN, sql, 500);
    assertThat(arrow).hasSizeGreaterThan(1_000).isEqualTo(javaRows(ADMIN, sql));
  }

  @Test
  void explainLinesAreOneUtf8Column() {
    String sql = "EXPLAIN PLAN FOR SELECT COUNT(*) FROM cdp.customers";
    List<List<Object>> arrow = arrowRows(ADMIN, sql, 2);
    assertThat(arrow).isNotEmpty().isEqualTo(javaRows(ADMIN, sql));
  }

  @Test
  void timestampsKeepTheirMicroseconds() {
    QueryPlan plan = engine().prepare(ADMIN, "SELECT signup_at FROM cdp.customers");
    try (QueryCursor cursor = engine().execute(ADMIN, plan, List.of(), Optional.empty())) {
      ArrowBatches batches = cursor.arrow(allocator, 10_000);
      assertThat(batches.schema().getFields().get(0).getType())
          .isEqualTo(new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, null));
      long withMicros = 0;
      while (batches.next()) {
        TimeStampMicroVector vector = (TimeStampMicroVector) batches.root().getVector(0);
        for (int i = 0; i < vector.getValueCount(); i++) {
          if (!vector.isNull(i) && vector.get(i) % 1_000 != 0) {
            withMicros++;
          }
        }
      }
      // The demo gives 30% of signups a microsecond part.
      assertThat(withMicros).isGreaterThan(TestingGateway.CUSTOMERS / 5);
    }
  }

  @Test
  void cancelStopsTheNextBatch() {
    QueryPlan plan = engine().prepare(ADMIN, "SELECT order_id FROM cdp.purchases");
    try (QueryCursor cursor = engine().execute(ADMIN, plan, List.of(), Optional.empty())) {
      ArrowBatches batches = cursor.arrow(allocator, 1_000);
      assertThat(batches.next()).isTrue();
      cursor.cancel();
      assertThatThrownBy(batches::next)
          .isInstanceOfSatisfying(GatewayException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.QUERY_CANCELED));
    }
  }

  @Test
  void closingMidStreamFreesEverything() {
    QueryPlan plan = engine().prepare(ADMIN, "SELECT * FROM cdp.purchases");
    QueryCursor cursor = engine().execute(ADMIN, plan, List.of(), Optional.empty());
    ArrowBatches batches = cursor.arrow(allocator, 4_096);
    assertThat(batches.next()).isTrue();
    assertThat(allocator.getAllocatedMemory()).isPositive();
    cursor.close();
  }

  private static QueryEngine engine() {
    return TestingGateway.shared().engine();
  }

  private List<List<Object>> arrowRows(Principal principal, String sql, int batchRows) {
    QueryPlan plan = engine().prepare(principal, sql);
    List<List<Object>> rows = new ArrayList<>();
    try (QueryCursor cursor = engine().execute(principal, plan, List.of(), Optional.empty())) {
      ArrowBatches batches = cursor.arrow(allocator, batchRows);
      while (batches.next()) {
        VectorSchemaRoot root = batches.root();
        assertThat(root.getRowCount()).isBetween(1, batchRows);
        for (int row = 0; row < root.getRowCount(); row++) {
          List<Object> values = new ArrayList<>();
          for (FieldVector vector : root.getFieldVectors()) {
            values.add(rowRepresentation(vector, row));
          }
          rows.add(values);
        }
      }
      assertThat(cursor.done()).isTrue();
    }
    return rows;
  }

  private static List<List<Object>> javaRows(Principal principal, String sql) {
    QueryPlan plan = engine().prepare(principal, sql);
    List<List<Object>> rows = new ArrayList<>();
    try (QueryCursor cursor = engine().execute(principal, plan, List.of(), Optional.empty())) {
      while (!cursor.done()) {
        for (Object[] row : cursor.fetch(7_000)) {
          rows.add(Arrays.asList(row));
        }
      }
    }
    return rows;
  }

  /** An Arrow value in the engine's row representation (timestamps in epoch milliseconds). */
  private static Object rowRepresentation(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return null;
    }
    if (vector instanceof TimeStampMicroVector v) {
      return Math.floorDiv(v.get(row), 1_000L);
    }
    Object value = vector.getObject(row);
    if (value instanceof Text text) {
      return text.toString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    return value;
  }
}
