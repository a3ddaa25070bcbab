package dev.sluice.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.dialects.Warehouse;
import dev.sluice.dialects.postgresql.PostgresDialect;
import dev.sluice.dialects.postgresql.TestingPostgres;
import dev.sluice.dialects.redshift.RedshiftDialect;
import dev.sluice.dialects.redshift.StartupParameterShim;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.WarehouseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Configured PostgreSQL and Redshift warehouses open through their real drivers (Redshift's
 * through {@link StartupParameterShim} to the same embedded PostgreSQL) and answer queries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarehouseConnectorTest {
  private EmbeddedPostgres postgres;
  private StartupParameterShim shim;

  @BeforeAll
  void start() throws Exception {
    postgres = TestingPostgres.start();
    shim = StartupParameterShim.start(new InetSocketAddress("127.0.0.1", postgres.getPort()));
  }

  @AfterAll
  void stop() throws Exception {
    try (EmbeddedPostgres closePostgres = postgres;
        StartupParameterShim closeShim = shim) {
      // Shim first, then the server.
    }
  }

  private static WarehouseConfig config(String dialect, int port) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("host", "127.0.0.1");
    settings.put("port", Integer.toString(port));
    settings.put("database", "postgres");
    settings.put("user", "postgres");
    // The embedded server trusts local connections: the password is not checked.
    settings.put("password", "unused");
    settings.put("ssl_mode", "disable");
    return new WarehouseConfig("dw", dialect, 2, settings);
  }

  @Test
  void opensPostgresql() throws Exception {
    try (Warehouse warehouse = WarehouseConnector.open(config("postgresql", postgres.getPort()))) {
      assertThat(warehouse.dialect()).isSameAs(PostgresDialect.INSTANCE);
      assertThat(timeZone(warehouse)).isEqualTo("UTC");
    }
  }

  @Test
  void opensRedshiftThroughItsOwnDriver() throws Exception {
    try (Warehouse warehouse = WarehouseConnector.open(config("redshift", shim.port()))) {
      assertThat(warehouse.dialect()).isSameAs(RedshiftDialect.INSTANCE);
      assertThat(timeZone(warehouse)).isEqualTo("UTC");
      try (Connection connection = warehouse.dataSource().getConnection()) {
        assertThat(connection.getMetaData().getDriverName()).containsIgnoringCase("redshift");
      }
    }
  }

  @Test
  void missingSettingIsAConfigurationError() {
    WarehouseConfig incomplete = new WarehouseConfig("dw", "postgresql", 2, Map.of("host", "127.0.0.1"));

    assertThatThrownBy(() -> WarehouseConnector.open(incomplete))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("warehouses.dw.postgresql.port is required");
  }

  private static String timeZone(Warehouse warehouse) throws Exception {
    try (Connection connection = warehouse.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT current_setting('TimeZone')")) {
      result.next();
      return result.getString(1);
    }
  }
}
