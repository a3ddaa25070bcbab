package dev.sluice.gateway.admission;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.testing.TestingGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway for the admission tests: warehouse {@code pg} on an embedded PostgreSQL, with tables
 * whose reads take a known time (views calling {@code pg_sleep}, which clients cannot name
 * themselves), and warehouse {@code dw}, the demo's DuckDB file. Users: {@code admin}, {@code
 * flood} and {@code calm} (role reader), {@code slowpoke} (role impatient, 1 s timeout) and {@code
 * load00}..{@code load63}; every password is {@code pw}.
 */
final class AdmissionTestbed {
  static final int ITEMS = 100;
  static final int LOAD_USERS = 64;
  static final String PASSWORD = "pw";

  private AdmissionTestbed() {}

  /** Creates schema {@code lab} with {@code items} and the slow views over it. */
  static void createTables(EmbeddedPostgres postgres) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA lab");
      statement.execute("CREATE TABLE lab.items (id INTEGER PRIMARY KEY, label VARCHAR(20))");
      statement.execute("INSERT INTO lab.items SELECT g, 'item ' || g FROM generate_series(1, " + ITEMS + ") g");
      // The one-row subquery runs once per read: each read of the view takes the sleep's time.
      statement.execute("CREATE VIEW lab.slow_items AS SELECT i.id, i.label FROM lab.items i"
          + " CROSS JOIN (SELECT pg_sleep(0.4)) AS pause");
      statement.execute("CREATE VIEW lab.very_slow_items AS SELECT i.id, i.label FROM lab.items i"
          + " CROSS JOIN (SELECT pg_sleep(60)) AS pause");
    }
  }

  /**
   * The configuration, {@code pg} limited to 4 statements and a queue of 8; {@code extraPgYaml}
   * is added to the pg warehouse (indented by four spaces), such as a circuit_breaker block.
   */
  static GatewayConfig config(Path directory, int pgPort, String extraPgYaml) throws IOException {
    Path policies = directory.resolve("policies.yaml");
    Files.writeString(policies, """
        roles:
          admin: { tables: { items: {}, slow_items: {}, very_slow_items: {}, products: {} } }
          reader: { tables: { items: {}, slow_items: {}, very_slow_items: {}, products: {} } }
          impatient: { tables: {} }
        """);
    StringBuilder users = new StringBuilder();
    Map<String, String> variables = new HashMap<>();
    variables.put("PW", PASSWORD);
    variables.put("PG_PASSWORD", "unused");
    variables.put("DEMO", TestingGateway.demoDirectory().toString());
    for (String user : List.of("admin", "flood", "calm", "slowpoke")) {
      String roles = switch (user) {
        case "admin" -> "[admin]";
        case "slowpoke" -> "[reader, impatient]";
        default -> "[reader]";
      };
      users.append("  ").append(user).append(": { password_env: PW, roles: ").append(roles).append(" }\n");
    }
    for (int i = 0; i < LOAD_USERS; i++) {
      users.append("  ").append(loadUser(i)).append(": { password_env: PW, roles: [reader] }\n");
    }
    String yaml = """
        listeners: { http: { host: 127.0.0.1, port: 0 } }
        engine: { query_timeout: 30s }
        limits:
          global: { max_concurrent_queries: 200, max_queued: 100, max_queue_wait: 20s }
          per_user: { max_concurrent_queries: 3, max_queued: 2, max_queue_wait: 5s }
          roles:
            impatient: { query_timeout: 1s }
        metrics: { readiness_interval: 1s }
        warehouses:
          pg:
            dialect: postgresql
            limits: { max_concurrent_statements: 4, max_queued: 8, max_queue_wait: 3s }
        %s
            postgresql:
              host: 127.0.0.1
              port: %d
              database: postgres
              user: postgres
              password_env: PG_PASSWORD
              ssl_mode: disable
          dw:
            dialect: duckdb
            duckdb: { path: "${DEMO}/dw.duckdb" }
        schema:
          name: lab
          tables:
            items: { kind: entity, source: pg.lab.items, primary_key: [id], columns: { id: id, label: label } }
            slow_items: { kind: entity, source: pg.lab.slow_items, primary_key: [id], columns: { id: id, label: label } }
            very_slow_items: { kind: entity, source: pg.lab.very_slow_items, primary_key: [id], columns: { id: id, label: label } }
            products: { kind: entity, source: dw.retail.skus, primary_key: [product_id], columns: { product_id: sku_id, name: sku_name } }
        policies: { file: "%s" }
        users:
        %s""".formatted(extraPgYaml.indent(4).stripTrailing(), pgPort, policies, users);
    // The audit log goes to a temporary directory, not ./audit of the working directory.
    return TestingGateway.withTemporaryAudit(
        ConfigLoader.parse(yaml, "admission-test.yaml", VariableResolver.of(variables)));
  }

  static String loadUser(int index) {
    return String.format("load%02d", index);
  }

  static Connection connect(GatewayServer server, String user) throws SQLException {
    return DriverManager.getConnection(TestingGateway.url(server, "protobuf", user, PASSWORD));
  }

  /** The single number {@code sql} returns, run as {@code user} through the stock Avatica driver. */
  static long count(GatewayServer server, String user, String sql) throws SQLException {
    try (Connection connection = connect(server, user);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Statements the gateway's sessions are running on PostgreSQL whose text contains {@code marker}. */
  static int activeStatements(Connection direct, String marker) throws SQLException {
    try (var statement = direct.prepareStatement(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sluice' AND state = 'active'"
            + " AND query LIKE ?")) {
      statement.setString(1, "%" + marker + "%");
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
