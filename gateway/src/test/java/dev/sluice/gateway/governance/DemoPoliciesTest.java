package dev.sluice.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What each demo user sees, asserted on result rows through the stock Avatica driver. */
class DemoPoliciesTest {
  private final GatewayServer server = TestingGateway.shared();

  @Test
  void marketerSeesHashedContactsPartialNamesAndBirthYears() throws Exception {
    List<Object> clear = row("admin", "SELECT email, phone, last_name, birth_date, city FROM cdp.customers WHERE customer_id = 42");
    List<Object> masked = row("max", "SELECT email, phone, last_name, birth_date, city FROM cdp.customers WHERE customer_id = 42");
    assertThat(masked.get(0)).isEqualTo(sha256((String) clear.get(0)));
    assertThat(masked.get(1)).isEqualTo(clear.get(1) == null ? null : sha256((String) clear.get(1)));
    assertThat(masked.get(2)).isEqualTo(((String) clear.get(2)).substring(0, 1) + "***");
    LocalDate birth = ((java.sql.Date) clear.get(3)).toLocalDate();
    assertThat(((java.sql.Date) masked.get(3)).toLocalDate()).isEqualTo(LocalDate.of(birth.getYear(), 1, 1));
    assertThat(masked.get(4)).isEqualTo(clear.get(4));
  }

  @Test
  void regionalMarketerSeesOnlyHerRegionAndItsEventsScoresAndSessions() throws Exception {
    assertThat(column("mia", "SELECT DISTINCT region FROM cdp.customers")).containsExactly("EU");
    assertThat(count("mia", "SELECT COUNT(*) FROM cdp.customers"))
        .isEqualTo(count("admin", "SELECT COUNT(*) FROM cdp.customers WHERE region = 'EU'"))
        .isPositive();
    for (String table : List.of("purchases", "web_sessions", "propensity_scores")) {
      assertThat(count("mia", "SELECT COUNT(*) FROM cdp." + table))
          .as(table)
          .isEqualTo(count("admin", "SELECT COUNT(*) FROM cdp." + table + " t WHERE t.customer_id IN"
              + " (SELECT customer_id FROM cdp.customers WHERE region = 'EU')"))
          .isLessThan(count("admin", "SELECT COUNT(*) FROM cdp." + table));
    }
    // A customer outside EU is invisible however it is asked for.
    long nonEu = count("admin", "SELECT MIN(customer_id) FROM cdp.customers WHERE region <> 'EU'");
    assertThat(count("mia", "SELECT COUNT(*) FROM cdp.purchases WHERE customer_id = " + nonEu)).isZero();
    assertThat(count("max", "SELECT COUNT(*) FROM cdp.customers"))
        .isEqualTo(count("admin", "SELECT COUNT(*) FROM cdp.customers"));
  }

  @Test
  void analystCannotNameDeniedColumnsAndDoesNotSeeThem() throws Exception {
    for (String sql : List.of(
        "SELECT email FROM cdp.customers",
        "SELECT COUNT(*) FROM cdp.customers WHERE email IS NOT NULL",
        "SELECT c.\"EMAIL\" FROM cdp.customers c",
        "SELECT customer_id FROM cdp.customers ORDER BY phone",
        "SELECT first_name, COUNT(*) FROM cdp.customers GROUP BY first_name")) {
      assertThat(message("ana", sql)).as(sql).contains("42S02").contains("not found");
    }
    // The same error for a column that does not exist at all.
    String denied = message("ana", "SELECT email FROM cdp.customers");
    String missing = message("ana", "SELECT emial FROM cdp.customers");
    assertThat(withoutPositions(denied.replace("email", "X")))
        .isEqualTo(withoutPositions(missing.replace("emial", "X")));
    try (Connection connection = TestingGateway.connect(server, "protobuf", "ana")) {
      DatabaseMetaData md = connection.getMetaData();
      List<String> columns = new ArrayList<>();
      try (ResultSet meta = md.getColumns(null, "cdp", "customers", "%")) {
        while (meta.next()) {
          columns.add(meta.getString("COLUMN_NAME"));
        }
      }
      assertThat(columns).doesNotContain("email", "phone", "first_name", "last_name").contains("birth_date");
    }
    // Birth dates are coarsened to the year (ana is aggregation-only, so they come as groups).
    List<Object> births = column("ana", "SELECT birth_date FROM cdp.customers GROUP BY birth_date");
    assertThat(births).hasSizeGreaterThan(10).allSatisfy(birth ->
        assertThat(birth == null || ((java.sql.Date) birth).toLocalDate().getDayOfYear() == 1).isTrue());
  }

  @Test
  void activationSeesOnlyWhatItsDeclaredPurposeGrants() throws Exception {
    // No purpose, no data (DemoPurposesTest has the refusals and every protocol).
    assertThat(message("act", "SELECT COUNT(*) FROM cdp.customers")).startsWith("42501").contains("must declare a purpose");
    assertThat(count("act/email_marketing", "SELECT COUNT(*) FROM cdp.customers"))
        .isEqualTo(count("admin", "SELECT COUNT(*) FROM cdp.customers WHERE email_opt_in"));
    assertThat(count("act/paid_media", "SELECT COUNT(*) FROM cdp.customers"))
        .isEqualTo(count("admin", "SELECT COUNT(*) FROM cdp.customers WHERE ads_opt_in"));
    long optedIn = count("admin", "SELECT MIN(customer_id) FROM cdp.customers WHERE email_opt_in AND ads_opt_in");
    List<Object> clear = row("admin", "SELECT email FROM cdp.customers WHERE customer_id = " + optedIn);
    assertThat(row("act/email_marketing", "SELECT email FROM cdp.customers WHERE customer_id = " + optedIn))
        .isEqualTo(clear);
    assertThat(row("act/paid_media", "SELECT email FROM cdp.customers WHERE customer_id = " + optedIn))
        .containsExactly(sha256((String) clear.get(0)));
  }

  @Test
  void auditorSeesNoCustomerTableAtAll() throws Exception {
    try (Connection connection = TestingGateway.connect(server, "protobuf", "sam")) {
      // Only the audit log, which the auditor role is granted.
      try (ResultSet tables = connection.getMetaData().getTables(null, null, "%", null)) {
        assertThat(tables.next()).isTrue();
        assertThat(tables.getString("TABLE_SCHEM") + "." + tables.getString("TABLE_NAME")).isEqualTo("audit.query_log");
        assertThat(tables.next()).isFalse();
      }
    }
    String forbidden = message("sam", "SELECT COUNT(*) FROM cdp.customers");
    String missing = message("sam", "SELECT COUNT(*) FROM cdp.nonexistent");
    assertThat(forbidden).contains("not found");
    assertThat(withoutPositions(forbidden.replace("customers", "X")))
        .isEqualTo(withoutPositions(missing.replace("nonexistent", "X")));
  }

  @Test
  void inheritedCustomerFiltersFetchOnlyTheCustomerKey() throws Exception {
    for (String sql : List.of(
        "SELECT COUNT(*) FROM cdp.web_sessions",
        "SELECT * FROM cdp.propensity_scores WHERE bread > 0.9",
        "SELECT COUNT(*) FROM cdp.propensity_scores s LEFT JOIN cdp.customers c ON c.customer_id = s.customer_id")) {
      String plan = String.join("\n", column("mia", "EXPLAIN PLAN FOR " + sql).stream().map(Object::toString).toList());
      assertThat(plan).as(sql).doesNotContain("email_address").doesNotContain("phone_number");
    }
  }

  @Test
  void theWarehouseComputesTheMask() throws Exception {
    String plan = String.join("\n", column("max",
        "EXPLAIN PLAN FOR SELECT email FROM cdp.customers WHERE customer_id = 42").stream().map(Object::toString).toList());
    assertThat(plan.toLowerCase(Locale.ROOT)).contains("sha256(").contains("email_address");
  }

  private static String withoutPositions(String message) {
    return message.replaceAll("column \\d+", "column N");
  }

  static String sha256(String value) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    return HexFormat.of().formatHex(digest.digest(value.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
  }

  private String message(String user, String sql) {
    try {
      rows(user, sql);
    } catch (SQLException e) {
      return fullMessage(e);
    }
    throw new AssertionError("expected an error for " + sql);
  }

  /**
   * The server's message: for prepared statements the stock driver puts it in the cause
   * ("while preparing SQL: ..." on top), so the chain is joined without the echoed SQL.
   */
  static String fullMessage(SQLException e) {
    StringBuilder text = new StringBuilder(e.getSQLState()).append(' ');
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage() == null ? "" : cause.getMessage();
      text.append(message.replaceAll("(while preparing SQL|Error while executing SQL)[^\n]*", "")).append(" | ");
      if (cause instanceof org.apache.calcite.avatica.AvaticaSqlException avatica) {
        avatica.getStackTraces().forEach(trace -> text.append(trace.strip()).append(" | "));
      }
    }
    return text.toString();
  }

  private long count(String user, String sql) throws SQLException {
    return ((Number) row(user, sql).get(0)).longValue();
  }

  private List<Object> row(String user, String sql) throws SQLException {
    List<List<Object>> rows = rows(user, sql);
    assertThat(rows).as(sql).hasSize(1);
    return rows.get(0);
  }

  private List<Object> column(String user, String sql) throws SQLException {
    return rows(user, sql).stream().map(r -> r.get(0)).toList();
  }

  List<List<Object>> rows(String user, String sql, Object... params) throws SQLException {
    return AdversarialPolicyTest.rowsAs(user, sql, params);
  }
}
