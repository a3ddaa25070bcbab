package dev.sluice.bench;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.ListenersConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.demo.DemoDataGenerator;
import dev.sluice.gateway.engine.ArrowBatches;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.policies.Principal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Measures the engine's Arrow batches (no protocol) for a million purchases at several batch
 * sizes, to choose {@code engine.arrow_batch_rows}. Run once with DuckDB's native export and once
 * with {@code -Dsluice.arrow.native=false}, which converts JDBC rows as for other warehouses.
 */
public final class ArrowBatchSizeHarness {
  static final String MILLION =
      "SELECT order_id, customer_id, product_id, purchased_at, amount FROM cdp.purchases LIMIT 1000000";

  public static void main(String[] args) throws Exception {
    Path data = Path.of("bench", "target", "demo").toAbsolutePath();
    DemoDataGenerator demo = new DemoDataGenerator(data, 100_000, 42);
    demo.generate();
    GatewayConfig config = ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", data.toString())));
    config = config.withListeners(new ListenersConfig(new HttpListenerConfig("127.0.0.1", 0)));
    Principal admin = new Principal("admin", Set.of("admin"), Map.of());
    System.out.printf("DuckDB native export: %s%n", System.getProperty("sluice.arrow.native", "true"));
    try (GatewayServer server = new GatewayServer(config);
        BufferAllocator allocator = new RootAllocator()) {
      server.start();
      QueryPlan plan = server.engine().prepare(admin, MILLION);
      int[] sizes = {1_024, 4_096, 16_384, 65_536, 262_144};
      for (int size : sizes) {
        run(server, admin, plan, allocator, size);
      }
      for (int size : sizes) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
          best = Math.min(best, run(server, admin, plan, allocator, size));
        }
        System.out.printf("batch %,9d rows: best of 3 %.3f s (%.1f M rows/s)%n", size, best, 1.0 / best);
      }
    }
  }

  private static double run(
      GatewayServer server, Principal admin, QueryPlan plan, BufferAllocator allocator, int batchRows) {
    long started = System.nanoTime();
    long rows = 0;
    try (QueryCursor cursor = server.engine().execute(admin, plan, List.of(), Optional.empty())) {
      ArrowBatches batches = cursor.arrow(allocator, batchRows);
      while (batches.next()) {
        rows += batches.root().getRowCount();
      }
    }
    if (rows != 1_000_000) {
      throw new IllegalStateException("Expected 1,000,000 rows, got " + rows);
    }
    return (System.nanoTime() - started) / 1e9;
  }
}
