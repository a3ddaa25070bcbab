package dev.sluice.gateway.frontend.avatica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stock Avatica remote driver against an in-JVM gateway on port 0, in both serializations. */
class AvaticaEndToEndTest {
  private final GatewayServer server = TestingGateway.shared();

  @ParameterizedTest
  @ValueSource(strings = {"protobuf", "json"})
  void runsAQueryAndReturnsTypedValues(String serialization) throws SQLException {
    try (Connection connection = TestingGateway.connect(server, serialization, "admin");
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT customer_id, email, birth_date, signup_at, email_opt_in, lifetime_value, loyalty_tier"
                    + " FROM cdp.customers WHERE customer_id = 42")) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnCount()).isEqualTo(7);
      assertThat(md.getColumnType(1)).isEqualTo(Types.BIGINT);
      assertThat(md.getColumnType(3)).isEqualTo(Types.DATE);
      assertThat(md.getColumnType(4)).isEqualTo(Types.TIMESTAMP);
      assertThat(md.getColumnType(5)).isEqualTo(Types.BOOLEAN);
      assertThat(md.getColumnType(6)).isEqualTo(Types.DECIMAL);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(42L);
      assertThat(rs.getString(2)).contains("@");
      assertThat(rs.getDate(3)).isNotNull();
      assertThat(rs.getTimestamp(4).toLocalDateTime().getYear()).isBetween(2018, 2024);
      assertThat(rs.getBigDecimal(6)).isNotNull();
      assertThat(rs.getString(7)).isIn("bronze", "silver", "gold", "platinum");
      assertThat(rs.next()).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"protobuf", "json"})
  void bindsPreparedStatementParameters(String serialization) throws SQLException {
    try (Connection connection = TestingGateway.connect(server, serialization, "admin");
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT COUNT(*) AS orders, SUM(amount) AS revenue FROM cdp.purchases"
                    + " WHERE customer_id = ? AND purchased_at >= ? AND channel = ?")) {
      assertThat(statement.getParameterMetaData().getParameterCount()).isEqualTo(3);
      long total = 0;
      for (String channel : List.of("web", "store", "marketplace", "app")) {
        statement.setLong(1, 4242);
        statement.setTimestamp(2, Timestamp.valueOf("2025-01-01 00:00:00"));
        statement.setString(3, channel);
        try (ResultSet rs = statement.executeQuery()) {
          assertThat(rs.next()).isTrue();
          total += rs.getLong("orders");
        }
      }
      try (Statement plain = connection.createStatement();
          ResultSet rs = plain.executeQuery("SELECT COUNT(*) FROM cdp.purchases WHERE customer_id = 4242")) {
        rs.next();
        assertThat(total).isEqualTo(rs.getLong(1));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"protobuf", "json"})
  void answersDatabaseMetadataFromTheVirtualSchema(String serialization) throws SQLException {
    try (Connection connection = TestingGateway.connect(server, serialization, "admin")) {
      DatabaseMetaData md = connection.getMetaData();
      assertThat(names(md.getSchemas(), "TABLE_SCHEM")).containsExactly("cdp");
      assertThat(names(md.getTables(null, "cdp", "%", null), "TABLE_NAME"))
          .containsExactlyInAnyOrder("customers", "propensity_scores", "purchases", "web_sessions", "products");
      assertThat(names(md.getTables(null, "%", "house%", null), "TABLE_NAME")).isEmpty();
      assertThat(names(md.getTableTypes(), "TABLE_TYPE")).containsExactly("TABLE");
      try (ResultSet columns = md.getColumns(null, "cdp", "customers", "%")) {
        List<String> names = new ArrayList<>();
        while (columns.next()) {
          names.add(columns.getString("COLUMN_NAME"));
          if (columns.getString("COLUMN_NAME").equals("lifetime_value")) {
            assertThat(columns.getInt("DATA_TYPE")).isEqualTo(Types.DECIMAL);
            assertThat(columns.getInt("COLUMN_SIZE")).isEqualTo(12);
            assertThat(columns.getInt("DECIMAL_DIGITS")).isEqualTo(2);
          }
          if (columns.getString("COLUMN_NAME").equals("signup_at")) {
            assertThat(columns.getInt("DATA_TYPE")).isEqualTo(Types.TIMESTAMP);
          }
        }
        assertThat(names)
            .containsExactly(
                "customer_id", "email", "phone", "first_name", "last_name", "birth_date", "city", "region",
                "country", "loyalty_tier", "signup_at", "email_opt_in", "ads_opt_in", "lifetime_value");
      }
      assertThat(names(md.getTypeInfo(), "TYPE_NAME")).contains("BIGINT", "VARCHAR", "DECIMAL", "TIMESTAMP");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"protobuf", "json"})
  void streamsAMillionRowsInFrames(String serialization) throws SQLException {
    try (Connection connection = TestingGateway.connect(server, serialization, "admin");
        Statement statement = connection.createStatement()) {
      statement.setFetchSize(50_000);
      long rows = 0;
      long checksum = 0;
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT order_id, customer_id, purchased_at, amount FROM cdp.purchases LIMIT 1000000")) {
        while (rs.next()) {
          rows++;
          checksum += rs.getLong(1);
        }
      }
      assertThat(rows).isEqualTo(1_000_000);
      assertThat(checksum).isPositive();
    }
  }

  @Test
  void cancelStopsTheWarehouseStatementAndReleasesItsConnection() throws Exception {
    try (Connection connection = TestingGateway.connect(server, "protobuf", "admin");
        Statement statement = connection.createStatement()) {
      ResultSet rs = statement.executeQuery("SELECT order_id FROM cdp.purchases");
      assertThat(rs.next()).isTrue();
      assertThat(activeConnections("dw")).isEqualTo(1);
      statement.cancel();
      assertThatThrownBy(() -> {
        while (rs.next()) {
          // drain until the cancel is noticed
        }
      }).isInstanceOf(SQLException.class).hasMessageContaining("cancel");
      statement.close();
      assertThat(activeConnections("dw")).isZero();
    }
  }

  @Test
  void anAbandonedResultSetIsClosedAndReleasesItsWarehouseConnection() throws Exception {
    try (Connection connection = TestingGateway.connect(server, "protobuf", "admin");
        Statement statement = connection.createStatement()) {
      statement.setFetchSize(1_000);
      ResultSet rs = statement.executeQuery("SELECT order_id FROM cdp.purchases");
      assertThat(rs.next()).isTrue();
      assertThat(activeConnections("dw")).isEqualTo(1);
      // The client goes silent; the reaper finds the result set idle.
      Thread.sleep(20);
      assertThat(server.closeAbandoned(Duration.ofMillis(1), Duration.ofHours(1))).isPositive();
      assertThat(activeConnections("dw")).isZero();
      assertThatThrownBy(() -> {
        while (rs.next()) {
          // the next frame is refused
        }
        // The stock driver surfaces a failed fetch as its own runtime exception.
      }).hasMessageContaining("no open result set");
    }
  }

  @Test
  void queryTimeoutCancelsTheWarehouseStatement() throws Exception {
    try (GatewayServer slow =
        new GatewayServer(TestingGateway.withTimeout(TestingGateway.demoConfig(), Duration.ofMillis(500)))) {
      slow.start();
      try (Connection connection = TestingGateway.connect(slow, "protobuf", "admin");
          Statement statement = connection.createStatement()) {
        long started = System.nanoTime();
        assertThatThrownBy(
                () -> statement.executeQuery(
                    "SELECT COUNT(*) FROM cdp.purchases a JOIN cdp.purchases b ON a.amount < b.amount"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"))
            .hasMessageContaining("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"protobuf", "json"})
  void refusesWrongPasswordsAndUnknownUsers(String serialization) {
    assertThatThrownBy(
            () -> DriverManager.getConnection(TestingGateway.url(server, serialization, "admin", "wrong"))
                .createStatement().executeQuery("SELECT 1"))
        // The stock driver surfaces the HTTP 401 as a RuntimeException from connect().
        .hasMessageContaining("401");
    assertThatThrownBy(
            () -> DriverManager.getConnection(TestingGateway.url(server, serialization, "mallory", "x"))
                .createStatement().executeQuery("SELECT 1"))
        // The stock driver surfaces the HTTP 401 as a RuntimeException from connect().
        .hasMessageContaining("401");
  }

  @ParameterizedTest
  @ValueSource(strings = {"protobuf", "json"})
  void refusesAnythingButReadQueriesWithClearErrors(String serialization) throws SQLException {
    try (Connection connection = TestingGateway.connect(server, serialization, "admin");
        Statement statement = connection.createStatement()) {
      assertError(statement, "CREATE TABLE cdp.x (a INT)", "25006", "read-only");
      assertError(statement, "DROP TABLE cdp.customers", "25006", "read-only");
      assertError(statement, "INSERT INTO cdp.products VALUES (1, 'a', 'b', 'c', 1.0)", "25006", "read-only");
      assertError(statement, "DELETE FROM cdp.customers", "25006", "read-only");
      assertError(statement, "UPDATE cdp.customers SET email = 'x'", "25006", "read-only");
      assertError(statement, "SET TimeZone = 'UTC'", "25006", "read-only");
      assertError(statement, "ATTACH 'x.duckdb' AS x", "25006", "read-only");
      assertError(
          statement, "SELECT 1 FROM cdp.products; DROP TABLE cdp.products", "25006", "Multiple statements");
      assertError(statement, "SELECT * FROM cdp.nope", "42S02", "nope");
      assertError(statement, "SELECT * FROM retail.households", "42S02", "households");
      assertError(statement, "SELECT * FROM dw.retail.households", "42S02", "households");
      assertError(statement, "SELECT * FROM read_csv('/etc/passwd')", "42S02", "read_csv");
      assertError(statement, "SELECT nope FROM cdp.customers", "42S02", "nope");
      assertError(statement, "SELEC * FROM cdp.customers", "42601", "Syntax error");
    }
  }

  @Test
  void explainOfACrossWarehouseJoinShowsOnePushdownPerWarehouse() throws SQLException {
    try (Connection connection = TestingGateway.connect(server, "protobuf", "admin");
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "EXPLAIN PLAN FOR SELECT c.customer_id, c.email, p.bread FROM cdp.customers c"
                    + " JOIN cdp.propensity_scores p ON p.customer_id = c.customer_id WHERE p.bread > 0.9")) {
      StringBuilder plan = new StringBuilder();
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
      String text = plan.toString();
      String dw = section(text, "Pushdown to warehouse dw:");
      String lake = section(text, "Pushdown to warehouse lake:");
      assertThat(dw).contains("households").doesNotContain("propensity").doesNotContainPattern("SELECT\\s+\\*|\\.\\*");
      assertThat(lake).contains("propensity").doesNotContain("households").doesNotContainPattern("SELECT\\s+\\*|\\.\\*");
    }
  }

  @Test
  void crossWarehouseJoinReturnsTheJoinedRows() throws SQLException {
    try (Connection connection = TestingGateway.connect(server, "protobuf", "admin");
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT c.customer_id, c.region, p.bread FROM cdp.customers c"
                    + " JOIN cdp.propensity_scores p ON p.customer_id = c.customer_id"
                    + " WHERE c.customer_id IN (1, 2, 3) ORDER BY c.customer_id")) {
      List<Long> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getLong(1));
        assertThat(rs.getDouble(3)).isBetween(0.0, 1.0);
      }
      assertThat(ids).containsExactly(1L, 2L, 3L);
    }
  }

  private static String section(String plan, String header) {
    int start = plan.indexOf(header);
    assertThat(start).as("plan has %s:%n%s", header, plan).isNotNegative();
    int end = plan.indexOf("Pushdown to warehouse", start + header.length());
    return plan.substring(start + header.length(), end < 0 ? plan.length() : end);
  }

  private static void assertError(Statement statement, String sql, String sqlState, String message) {
    assertThatThrownBy(() -> statement.executeQuery(sql))
        .as(sql)
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> assertThat(e.getSQLState()).as("SQLSTATE of %s: %s", sql, e.getMessage()).isEqualTo(sqlState))
        .hasMessageContaining(message)
        .hasMessageNotContaining("\tat ");
  }

  private static List<String> names(ResultSet rs, String column) throws SQLException {
    List<String> names = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        names.add(rs.getString(column));
      }
    }
    return names;
  }

  private int activeConnections(String warehouse) throws Exception {
    HikariDataSource pool =
        server.engine().catalog().warehouse(warehouse).orElseThrow().dataSource().unwrap(HikariDataSource.class);
    // The close travels asynchronously from the client; give it a moment.
    for (int i = 0; i < 50 && pool.getHikariPoolMXBean().getActiveConnections() > 0; i++) {
      Thread.sleep(20);
    }
    return pool.getHikariPoolMXBean().getActiveConnections();
  }
}
