package dev.sluice.gateway.testing;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.audit.AuditReader;
import dev.sluice.gateway.audit.QueryLogTable;
import dev.sluice.gateway.catalog.VirtualCatalog;
import dev.sluice.gateway.config.AuthConfig;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.EngineConfig;
import dev.sluice.gateway.config.FlightListenerConfig;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.ListenersConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.demo.DemoDataGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One embedded demo and one gateway on port 0 shared by the tests of a JVM. The demo has enough
 * customers (60,000) for a million purchases, and is generated once under {@code target/}.
 */
public final class TestingGateway {
  public static final long CUSTOMERS = 60_000;
  public static final long SEED = 42;

  /** Rows per Arrow batch of {@link #smallBatches()}: a million-row result comes in a thousand batches. */
  public static final int SMALL_ARROW_BATCH_ROWS = 1_000;

  private static Path demoDirectory;
  private static GatewayServer shared;
  private static GatewayServer smallBatches;

  private TestingGateway() {}

  public static synchronized Path demoDirectory() {
    if (demoDirectory == null) {
      Path directory = Path.of("target", "test-demo").toAbsolutePath();
      try {
        new DemoDataGenerator(directory, CUSTOMERS, SEED).generate();
      } catch (java.io.IOException | java.sql.SQLException e) {
        throw new IllegalStateException("Cannot generate the test demo in " + directory, e);
      }
      demoDirectory = directory;
    }
    return demoDirectory;
  }

  /** The demo configuration, with HTTP and Flight SQL on ephemeral ports of 127.0.0.1 and an audit log of its own. */
  public static GatewayConfig demoConfig() {
    return demoConfig(config -> config);
  }

  public static GatewayConfig demoConfig(UnaryOperator<GatewayConfig> change) {
    GatewayConfig demo =
        ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", demoDirectory().toString())));
    GatewayConfig onPortZero =
        demo.withListeners(
            new ListenersConfig(new HttpListenerConfig("127.0.0.1", 0), new FlightListenerConfig("127.0.0.1", 0)));
    return change.apply(withTemporaryAudit(onPortZero));
  }

  /**
   * {@code config} writing its audit log to a new directory under {@code target/audit-logs}: two
   * gateways must never share one (the second would not start), and tests never write {@code ./audit}.
   */
  public static GatewayConfig withTemporaryAudit(GatewayConfig config) {
    return config.withAudit(config.audit().withDirectory(temporaryAuditDirectory()));
  }

  /**
   * {@code catalog} with the audit log's table, as the gateway serves it: the demo policies grant
   * {@code audit.query_log}, and a catalog without it rejects them.
   */
  public static VirtualCatalog withAuditTable(VirtualCatalog catalog) {
    return catalog.withGatewayTables(
        List.of(QueryLogTable.gatewayTable(new AuditReader(temporaryAuditDirectory()))));
  }

  public static Path temporaryAuditDirectory() {
    try {
      Path parent = Files.createDirectories(Path.of("target", "audit-logs").toAbsolutePath());
      return Files.createTempDirectory(parent, "audit-");
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot create a temporary audit directory", e);
    }
  }

  public static GatewayConfig withTimeout(GatewayConfig config, Duration timeout) {
    EngineConfig engine = config.engine();
    return config.withEngine(
        new EngineConfig(timeout, engine.defaultFrameRows(), engine.maxFrameRows(), engine.planCacheSize(), engine.arrowBatchRows()));
  }

  public static GatewayConfig withArrowBatchRows(GatewayConfig config, int rows) {
    EngineConfig engine = config.engine();
    return config.withEngine(
        new EngineConfig(engine.queryTimeout(), engine.defaultFrameRows(), engine.maxFrameRows(), engine.planCacheSize(), rows));
  }

  /** The gateway every test may share; it is closed when the JVM exits. */
  public static synchronized GatewayServer shared() {
    if (shared == null) {
      shared = startUntilExit(demoConfig());
    }
    return shared;
  }

  /**
   * A second shared gateway whose Arrow batches have {@value #SMALL_ARROW_BATCH_ROWS} rows, for
   * tests that need a result to be many batches long (a failure after the first one).
   */
  public static synchronized GatewayServer smallBatches() {
    if (smallBatches == null) {
      smallBatches = startUntilExit(demoConfig(config -> {
        EngineConfig engine = config.engine();
        return config.withEngine(new EngineConfig(
            engine.queryTimeout(), engine.defaultFrameRows(), engine.maxFrameRows(), engine.planCacheSize(),
            SMALL_ARROW_BATCH_ROWS));
      }));
    }
    return smallBatches;
  }

  private static GatewayServer startUntilExit(GatewayConfig config) {
    // Every test of the JVM shares these gateways and the address 127.0.0.1, so a few tests that
    // check wrong passwords must not lock the others out; lockouts have tests of their own.
    AuthConfig defaults = AuthConfig.defaults();
    GatewayServer server =
        new GatewayServer(
            config.withAuth(
                new AuthConfig(
                    defaults.tokenTtl(), defaults.maxTokens(), 1000, defaults.failedLoginWindow(), defaults.lockout())));
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    return server;
  }

  /** The Flight SQL JDBC driver's URL for {@code user} (password {@code <user>-demo}), without TLS. */
  public static String flightJdbcUrl(GatewayServer server, String user) {
    return flightJdbcUrl(server, user, user + "-demo");
  }

  public static String flightJdbcUrl(GatewayServer server, String user, String password) {
    return "jdbc:arrow-flight-sql://127.0.0.1:" + server.flightPort()
        + "?useEncryption=false&user=" + user + "&password=" + password;
  }

  public static String url(GatewayServer server, String serialization, String user, String password) {
    return "jdbc:avatica:remote:url=http://127.0.0.1:" + server.httpPort()
        + ";serialization=" + serialization
        + ";authentication=BASIC;avatica_user=" + user + ";avatica_password=" + password;
  }

  /**
   * Connects as {@code user}, or as {@code user/purpose}: the user declaring that purpose. The
   * purpose goes in the connection properties: the stock driver sends those to the server, not
   * what is written in the URL.
   */
  public static Connection connect(GatewayServer server, String serialization, String user)
      throws SQLException {
    int slash = user.indexOf('/');
    if (slash >= 0) {
      String name = user.substring(0, slash);
      java.util.Properties properties = new java.util.Properties();
      properties.setProperty("purpose", user.substring(slash + 1));
      return DriverManager.getConnection(url(server, serialization, name, name + "-demo"), properties);
    }
    return DriverManager.getConnection(url(server, serialization, user, user + "-demo"));
  }

  /** Every row of {@code sql} run as {@code user} through the stock driver, values as JDBC objects. */
  public static java.util.List<java.util.List<Object>> rows(
      GatewayServer server, String serialization, String user, String sql, Object... params)
      throws SQLException {
    try (Connection connection = connect(server, serialization, user);
        java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (java.sql.ResultSet rs = statement.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        java.util.List<java.util.List<Object>> rows = new java.util.ArrayList<>();
        while (rs.next()) {
          Object[] row = new Object[columns];
          for (int i = 0; i < columns; i++) {
            row[i] = rs.getObject(i + 1);
          }
          // Values may be NULL, which List.of refuses.
          rows.add(java.util.Arrays.asList(row));
        }
        return rows;
      }
    }
  }
}
