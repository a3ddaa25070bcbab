package dev.sluice.gateway.tooling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.dialects.postgresql.TestingPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code check}'s explanations for the real exceptions the PostgreSQL driver throws (against an
 * embedded PostgreSQL, a closed port, a silent port and a bad host name), and {@code discover}'s
 * metadata reading on PostgreSQL. Both commands reach PostgreSQL through these same classes once
 * the gateway opens {@code dialect: postgresql} warehouses.
 */
class PostgresToolingTest {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = TestingPostgres.start();
    try (Connection connection = connect("postgres", "postgres");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE ROLE reader LOGIN");
      statement.execute("CREATE SCHEMA private");
      statement.execute("CREATE TABLE private.secrets (id INT)");
      statement.execute("CREATE SCHEMA shop");
      statement.execute("CREATE TABLE shop.order_lines (order_id BIGINT, line INT, sku TEXT NOT NULL, "
          + "amount NUMERIC(12,2), PRIMARY KEY (order_id, line))");
      statement.execute("INSERT INTO shop.order_lines SELECT i, 1, 'sku' || i, i FROM generate_series(1, 500) i");
      statement.execute("ANALYZE shop.order_lines");
    }
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  @Test
  void closedPortIsARefusedConnection() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertThat(explain("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=u"))
        .startsWith("Connection refused: nothing accepts connections at that host and port.");
  }

  @Test
  void silentPortTimesOut() throws IOException {
    try (ServerSocket silent = new ServerSocket(0)) {
      assertThat(explain("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort()
          + "/postgres?user=u&connectTimeout=1&socketTimeout=1&loginTimeout=2"))
          .startsWith("Timed out: the warehouse did not answer in time.");
    }
  }

  @Test
  void unresolvableHostIsNamed() {
    assertThat(explain("jdbc:postgresql://no-such-warehouse.invalid:5432/postgres?user=u&connectTimeout=5"))
        .startsWith("Unknown host no-such-warehouse.invalid: the host name does not resolve.");
  }

  @Test
  void unknownRoleIsAnAuthenticationFailure() {
    assertThat(explain(url("postgres") + "?user=nobody_here"))
        .startsWith("Authentication failed: FATAL: role \"nobody_here\" does not exist")
        .contains("Check the user and password");
  }

  @Test
  void serverWithoutTlsIsATlsProblem() {
    assertThat(explain(url("postgres") + "?user=postgres&sslmode=require"))
        .startsWith("TLS problem: ").contains("SSL mode");
  }

  @Test
  void unknownDatabaseIsNamed() {
    assertThat(explain(url("no_such_db") + "?user=postgres"))
        .startsWith("The database does not exist: FATAL: database \"no_such_db\" does not exist");
  }

  @Test
  void missingTableAndMissingGrantAreTold() throws Exception {
    try (Connection connection = connect("postgres", "reader")) {
      assertThat(explainQuery(connection, "SELECT * FROM \"public\".\"nope\" WHERE 1 = 0"))
          .startsWith("Missing schema or table: ERROR: relation \"public.nope\" does not exist");
      assertThat(explainQuery(connection, "SELECT * FROM \"private\".\"secrets\" WHERE 1 = 0"))
          .startsWith("No permission: ERROR: permission denied for schema private")
          .contains("grant USAGE on the schema and SELECT on its tables");
    }
  }

  @Test
  void discoveryReadsColumnsKeysAndTheRowEstimate() throws Exception {
    try (Connection connection = connect("postgres", "postgres")) {
      List<DiscoveredTable> tables = new SchemaDiscovery(connection, "postgresql").tables("shop");
      assertThat(tables).hasSize(1);
      DiscoveredTable table = tables.get(0);
      assertThat(table.name()).isEqualTo("order_lines");
      assertThat(table.columns()).extracting(DiscoveredTable.Column::name)
          .containsExactly("order_id", "line", "sku", "amount");
      assertThat(table.columns()).extracting(DiscoveredTable.Column::type)
          .containsExactly("int8", "int4", "text", "numeric");
      assertThat(table.primaryKey()).containsExactly("order_id", "line");
      assertThat(table.approximateRows()).contains(500L);
      assertThat(DraftSchemaYaml.render("pg", "shop", tables))
          .contains("primary_key: [order_id, line]")
          .contains("sku: sku   # text NOT NULL")
          .contains("about 500 rows");
    }
  }

  @Test
  void checkAndDiscoverRunEndToEndOnAPostgresWarehouse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
      throws Exception {
    String yaml = """
        warehouses:
          pg:
            dialect: postgresql
            postgresql: { host: 127.0.0.1, port: %d, database: postgres, user: %s, password_env: PG_PASSWORD, ssl_mode: disable }
        schema:
          tables:
            lines:
              kind: entity
              source: pg.%s
              primary_key: [order_id]
              columns: { order_id: order_id, sku: sku }
        users:
          admin: { password_env: PG_PASSWORD, roles: [admin] }
        """;
    var variables = dev.sluice.gateway.config.VariableResolver.of(java.util.Map.of("PG_PASSWORD", "unused"));
    var readable = dev.sluice.gateway.config.ConfigLoader.parse(
        yaml.formatted(postgres.getPort(), "postgres", "shop.order_lines"), "pg.yaml", variables);
    CheckReport ok = new ConnectionCheck(readable, java.time.Duration.ofSeconds(20)).check("pg");
    assertThat(ok.ok()).as(ok.text()).isTrue();
    assertThat(ok.text()).contains("OK pg (postgresql)").contains("order_lines");

    var forbidden = dev.sluice.gateway.config.ConfigLoader.parse(
        yaml.formatted(postgres.getPort(), "reader", "private.secrets"), "pg.yaml", variables);
    CheckReport denied = new ConnectionCheck(forbidden, java.time.Duration.ofSeconds(20)).check("pg");
    assertThat(denied.ok()).isFalse();
    assertThat(denied.text()).contains("No permission");

    java.nio.file.Path file = directory.resolve("pg.yaml");
    java.nio.file.Files.writeString(file, yaml.formatted(postgres.getPort(), "postgres", "shop.order_lines")
        .replace("password_env: PG_PASSWORD, ssl_mode", "password_env: HOME, ssl_mode")
        .replace("admin: { password_env: PG_PASSWORD", "admin: { password_env: HOME"));
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine command = new picocli.CommandLine(new dev.sluice.gateway.cli.SluiceCommand());
    command.setOut(new java.io.PrintWriter(out));
    int exit = command.execute("discover", "--config", file.toString(), "--warehouse", "pg", "--schema", "shop");
    assertThat(exit).as(out.toString()).isZero();
  }

  private static String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
  }

  private static Connection connect(String database, String user) throws Exception {
    return DriverManager.getConnection(url(database) + "?user=" + user);
  }

  private static String explain(String url) {
    Throwable failure = catchThrowable(() -> DriverManager.getConnection(url).close());
    assertThat(failure).as(url).isNotNull();
    return ConnectionFailures.explain(failure);
  }

  private static String explainQuery(Connection connection, String sql) {
    Throwable failure = catchThrowable(() -> {
      try (Statement statement = connection.createStatement()) {
        statement.executeQuery(sql).close();
      }
    });
    assertThat(failure).as(sql).isNotNull();
    return ConnectionFailures.explain(failure);
  }
}
