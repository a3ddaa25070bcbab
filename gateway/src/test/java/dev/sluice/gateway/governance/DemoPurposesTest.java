package dev.sluice.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The demo's purposes through the stock Avatica driver (connection property {@code purpose}) and
 * the Flight SQL JDBC driver (header {@code x-sluice-purpose}): act must declare email_marketing or
 * paid_media and sees exactly what that purpose grants; other users are unchanged.
 */
class DemoPurposesTest {
  private static final String ALLOWED = "allowed purposes: email_marketing, paid_media";
  private static final String CONTACTS =
      "SELECT customer_id, email, email_opt_in, ads_opt_in FROM cdp.customers WHERE customer_id <= 400 ORDER BY customer_id";

  private final GatewayServer server = TestingGateway.shared();

  @Test
  void activationWithoutAPurposeIsRefusedWithTheAllowedOnes() {
    for (String sql : List.of("SELECT COUNT(*) FROM cdp.customers", "SELECT 1")) {
      assertThatThrownBy(() -> avatica("act", null, sql))
          .isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("42501");
            assertThat(DemoPoliciesTest.fullMessage(e)).contains(
                "User act must declare a purpose (allowed: email_marketing, paid_media): set the JDBC connection"
                    + " property purpose, the Flight SQL header x-sluice-purpose or the HTTP field \"purpose\"");
          });
    }
    // Metadata too: there is no view of the schema without a purpose.
    assertThatThrownBy(() -> {
      try (Connection connection = DriverManager.getConnection(avaticaUrl(), properties("act", null));
          ResultSet tables = connection.getMetaData().getTables(null, null, "%", null)) {
        tables.next();
      }
    }).hasMessageContaining("User act must declare a purpose").hasStackTraceContaining("Error 9 (42501)");
  }

  @Test
  void aDisallowedOrUnknownPurposeIsRefusedWithTheAllowedOnes() {
    for (String purpose : List.of("analytics", "bogus")) {
      assertThatThrownBy(() -> avatica("act", purpose, "SELECT COUNT(*) FROM cdp.customers"))
          .as(purpose)
          .isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("42501");
            assertThat(DemoPoliciesTest.fullMessage(e))
                .contains("Purpose '" + purpose + "' is not allowed for user act; " + ALLOWED);
          });
    }
    assertThatThrownBy(() -> avatica("sam", "analytics", "SELECT COUNT(*) FROM audit.query_log"))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(DemoPoliciesTest.fullMessage(e))
            .contains("Purpose 'analytics' is not allowed for user sam: none of your roles may declare a purpose"));
  }

  @Test
  void emailMarketingSeesOnlyEmailOptInCustomersWithClearEmailsAndNoPhone() throws Exception {
    Map<Long, List<Object>> clear = byId(avatica("admin", null, CONTACTS));
    List<List<Object>> rows = avatica("act", "email_marketing", CONTACTS);
    List<Long> optedIn = clear.values().stream().filter(row -> (Boolean) row.get(2)).map(row -> (Long) row.get(0)).toList();
    assertThat(rows).extracting(row -> ((Number) row.get(0)).longValue()).containsExactlyElementsOf(optedIn).isNotEmpty();
    for (List<Object> row : rows) {
      assertThat(row).isEqualTo(clear.get(((Number) row.get(0)).longValue()));
    }
    assertThat(count("act", "email_marketing", "SELECT COUNT(*) FROM cdp.customers"))
        .isEqualTo(count("admin", null, "SELECT COUNT(*) FROM cdp.customers WHERE email_opt_in"));
    // The customer filter follows the customer key into the event tables.
    assertThat(count("act", "email_marketing", "SELECT COUNT(*) FROM cdp.purchases"))
        .isEqualTo(count("admin", null, "SELECT COUNT(*) FROM cdp.purchases p"
            + " WHERE p.customer_id IN (SELECT customer_id FROM cdp.customers WHERE email_opt_in)"));
    assertThatThrownBy(() -> avatica("act", "email_marketing", "SELECT phone FROM cdp.customers"))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(DemoPoliciesTest.fullMessage(e))
            .startsWith("42S02").contains("not found"));
    assertThat(columnsOfCustomers("act", "email_marketing")).contains("email").doesNotContain("phone");
  }

  @Test
  void paidMediaSeesOnlyAdsOptInCustomersWithHashedContacts() throws Exception {
    String sql = "SELECT customer_id, email, phone, ads_opt_in FROM cdp.customers WHERE customer_id <= 400 ORDER BY customer_id";
    Map<Long, List<Object>> clear = byId(avatica("admin", null, sql));
    List<List<Object>> rows = avatica("act", "paid_media", sql);
    List<Long> optedIn = clear.values().stream().filter(row -> (Boolean) row.get(3)).map(row -> (Long) row.get(0)).toList();
    assertThat(rows).extracting(row -> ((Number) row.get(0)).longValue()).containsExactlyElementsOf(optedIn).isNotEmpty();
    for (List<Object> row : rows) {
      List<Object> original = clear.get(((Number) row.get(0)).longValue());
      assertThat((String) row.get(1)).matches("[0-9a-f]{64}").isEqualTo(DemoPoliciesTest.sha256((String) original.get(1)));
      if (original.get(2) == null) {
        assertThat(row.get(2)).isNull();
      } else {
        assertThat((String) row.get(2)).matches("[0-9a-f]{64}").isEqualTo(DemoPoliciesTest.sha256((String) original.get(2)));
      }
    }
    assertThat(count("act", "paid_media", "SELECT COUNT(*) FROM cdp.customers WHERE NOT ads_opt_in")).isZero();
    assertThat(columnsOfCustomers("act", "paid_media")).contains("email", "phone");
  }

  @Test
  void aPurposeWithoutOverlaysChangesNothingForTheRolesAllowedIt() throws Exception {
    String sql = "SELECT customer_id, email, last_name, region FROM cdp.customers WHERE customer_id <= 50 ORDER BY customer_id";
    assertThat(avatica("max", "analytics", sql)).isEqualTo(avatica("max", null, sql));
    assertThat(avatica("mia", "analytics", sql)).isEqualTo(avatica("mia", null, sql));
  }

  @Test
  void theFlightSqlJdbcDriverSendsThePurposeAsAHeader() throws Exception {
    String url = TestingGateway.flightJdbcUrl(server, "act");
    assertThatThrownBy(() -> rows(DriverManager.getConnection(url), "SELECT COUNT(*) FROM cdp.customers"))
        .isInstanceOf(SQLException.class).hasStackTraceContaining("UNAUTHORIZED: [42501] User act must declare a purpose");
    Properties purpose = new Properties();
    purpose.setProperty("x-sluice-purpose", "paid_media");
    assertThat(rows(DriverManager.getConnection(url, purpose),
        "SELECT COUNT(*) FROM cdp.customers WHERE NOT ads_opt_in OR email NOT SIMILAR TO '[0-9a-f]{64}'"))
        .containsExactly(List.of(0L));
    assertThat(rows(DriverManager.getConnection(url + "&x-sluice-purpose=email_marketing"), "SELECT COUNT(*) FROM cdp.customers"))
        .containsExactly(List.of(count("admin", null, "SELECT COUNT(*) FROM cdp.customers WHERE email_opt_in")));
    Properties bogus = new Properties();
    bogus.setProperty("x-sluice-purpose", "bogus");
    assertThatThrownBy(() -> rows(DriverManager.getConnection(url, bogus), "SELECT COUNT(*) FROM cdp.customers"))
        .isInstanceOf(SQLException.class)
        .hasStackTraceContaining("UNAUTHORIZED: [42501] Purpose 'bogus' is not allowed for user act; " + ALLOWED);
  }

  private List<List<Object>> avatica(String user, String purpose, String sql) throws SQLException {
    return rows(DriverManager.getConnection(avaticaUrl(), properties(user, purpose)), sql);
  }

  private long count(String user, String purpose, String sql) throws SQLException {
    return ((Number) avatica(user, purpose, sql).get(0).get(0)).longValue();
  }

  private List<String> columnsOfCustomers(String user, String purpose) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(avaticaUrl(), properties(user, purpose));
        ResultSet meta = connection.getMetaData().getColumns(null, "cdp", "customers", "%")) {
      while (meta.next()) {
        columns.add(meta.getString("COLUMN_NAME"));
      }
    }
    return columns;
  }

  private String avaticaUrl() {
    return "jdbc:avatica:remote:url=http://127.0.0.1:" + server.httpPort() + ";serialization=protobuf";
  }

  private static Properties properties(String user, String purpose) {
    Properties properties = new Properties();
    properties.setProperty("authentication", "BASIC");
    properties.setProperty("avatica_user", user);
    properties.setProperty("avatica_password", user + "-demo");
    if (purpose != null) {
      properties.setProperty("purpose", purpose);
    }
    return properties;
  }

  /** Every row of {@code sql}; closes {@code connection}. */
  private static List<List<Object>> rows(Connection connection, String sql) throws SQLException {
    try (connection;
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rs = statement.executeQuery()) {
      int columns = rs.getMetaData().getColumnCount();
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Object[] row = new Object[columns];
        for (int i = 0; i < columns; i++) {
          Object value = rs.getObject(i + 1);
          row[i] = value instanceof Number number && !(value instanceof java.math.BigDecimal) ? number.longValue() : value;
        }
        rows.add(Arrays.asList(row));
      }
      return rows;
    }
  }

  private static Map<Long, List<Object>> byId(List<List<Object>> rows) {
    Map<Long, List<Object>> byId = new HashMap<>();
    rows.forEach(row -> byId.put(((Number) row.get(0)).longValue(), row));
    return byId;
  }
}
