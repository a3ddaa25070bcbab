package dev.sluice.bench;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.ListenersConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.demo.DemoDataGenerator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;

/**
 * The foundation's two measurements, each next to the same query on DuckDB in-process over views
 * that define the virtual schema: the median latency of a point query over the Avatica protobuf
 * driver, and the time to fetch a million purchases.
 */
public final class FoundationHarness {
  private static final String POINT = "SELECT customer_id FROM cdp.customers WHERE customer_id = 42";
  private static final String MILLION =
      "SELECT order_id, customer_id, product_id, purchased_at, quantity, amount, channel"
          + " FROM cdp.purchases LIMIT 1000000";

  public static void main(String[] args) throws Exception {
    long customers = 100_000;
    int iterations = 2_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--customers" -> customers = Long.parseLong(args[i + 1]);
        case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("Unknown option " + args[i]);
      }
    }
    Path data = Path.of("bench", "target", "demo").toAbsolutePath();
    DemoDataGenerator demo = new DemoDataGenerator(data, customers, 42);
    demo.generate();
    GatewayConfig config = ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", data.toString())));
    config = config.withListeners(new ListenersConfig(new HttpListenerConfig("127.0.0.1", 0)));
    try (GatewayServer server = new GatewayServer(config);
        Connection direct = directDuckDb(demo)) {
      server.start();
      String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + server.httpPort()
          + ";serialization=protobuf;authentication=BASIC;avatica_user=admin;avatica_password=admin-demo";
      try (Connection gateway = DriverManager.getConnection(url)) {
        double gatewayPoint = medianMicros(gateway, iterations);
        double directPoint = medianMicros(direct, iterations);
        System.out.printf("point query median: gateway (Avatica protobuf) %.0f us, DuckDB in-process %.0f us, ratio %.1fx%n",
            gatewayPoint, directPoint, gatewayPoint / directPoint);
        fetchMillion(gateway); // warm-up
        fetchMillion(direct);
        double gatewayMillion = fetchMillion(gateway);
        double directMillion = fetchMillion(direct);
        double engineOnly = engineOnly(server);
        System.out.printf("1,000,000 purchases: engine cursor alone (no protocol) %.2f s%n", engineOnly);
        System.out.printf("1,000,000 purchases: gateway (Avatica protobuf) %.2f s, DuckDB in-process %.2f s, ratio %.1fx%n",
            gatewayMillion, directMillion, gatewayMillion / directMillion);
      }
    }
  }

  private static double engineOnly(GatewayServer server) {
    dev.sluice.policies.Principal admin =
        new dev.sluice.policies.Principal("admin", java.util.Set.of("admin"), Map.of());
    long started = System.nanoTime();
    var plan = server.engine().prepare(admin, MILLION);
    long rows = 0;
    try (var cursor = server.engine().execute(admin, plan, java.util.List.of(), java.util.Optional.empty())) {
      while (!cursor.done()) {
        rows += cursor.fetch(50_000).size();
      }
    }
    if (rows != 1_000_000) {
      throw new IllegalStateException("Expected 1,000,000 rows, got " + rows);
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private static Connection directDuckDb(DemoDataGenerator demo) throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("ATTACH '" + demo.dwFile() + "' AS dw (READ_ONLY)");
      statement.execute("ATTACH '" + demo.lakeFile() + "' AS lake (READ_ONLY)");
      statement.execute("CREATE SCHEMA cdp");
      statement.execute("CREATE VIEW cdp.customers AS SELECT household_key AS customer_id FROM dw.retail.households");
      statement.execute(
          "CREATE VIEW cdp.purchases AS SELECT txn_id AS order_id, household_key AS customer_id, sku_id AS product_id,"
              + " txn_ts AS purchased_at, qty AS quantity, net_amount AS amount, channel FROM dw.retail.transactions");
    }
    return connection;
  }

  private static double medianMicros(Connection connection, int iterations) throws SQLException {
    long[] nanos = new long[iterations];
    try (PreparedStatement statement = connection.prepareStatement(POINT)) {
      for (int i = -iterations / 4; i < iterations; i++) {
        long started = System.nanoTime();
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            rs.getLong(1);
          }
        }
        if (i >= 0) {
          nanos[i] = System.nanoTime() - started;
        }
      }
    }
    Arrays.sort(nanos);
    return nanos[iterations / 2] / 1_000.0;
  }

  private static double fetchMillion(Connection connection) throws SQLException {
    long started = System.nanoTime();
    long rows = 0;
    try (Statement statement = connection.createStatement()) {
      statement.setFetchSize(50_000);
      try (ResultSet rs = statement.executeQuery(MILLION)) {
        while (rs.next()) {
          rs.getLong(1);
          rs.getTimestamp(4);
          rs.getBigDecimal(6);
          rows++;
        }
      }
    }
    if (rows != 1_000_000) {
      throw new IllegalStateException("Expected 1,000,000 rows, got " + rows);
    }
    return (System.nanoTime() - started) / 1e9;
  }
}
