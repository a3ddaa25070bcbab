package dev.sluice.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attempts to get around masks, denials and row filters. None may return a clear e-mail or phone
 * number to the marketer {@code max}, a denied column to the analyst {@code ana}, or a non-EU row
 * to {@code mia}; and none may reach a warehouse with SQL the gateway did not generate.
 */
class AdversarialPolicyTest {
  private static GatewayServer server;
  private static Set<String> clearContacts;
  private static String clearEmailOf42;

  @BeforeAll
  static void collectTheClearValues() throws SQLException {
    server = TestingGateway.shared();
    clearContacts = new HashSet<>();
    for (List<Object> row : rows("admin", "SELECT email, phone FROM cdp.customers")) {
      for (Object value : row) {
        if (value != null) {
          clearContacts.add(value.toString().trim().toLowerCase());
        }
      }
    }
    clearEmailOf42 = (String) rows("admin", "SELECT email FROM cdp.customers WHERE customer_id = 42").get(0).get(0);
  }

  static Stream<String> maskedColumnQueries() {
    return Stream.of(
        "SELECT email FROM cdp.customers WHERE customer_id = 42",
        "SELECT * FROM cdp.customers WHERE customer_id = 42",
        "SELECT t.email FROM (SELECT * FROM cdp.customers) t WHERE t.customer_id = 42",
        "WITH c AS (SELECT email AS e, phone AS p FROM cdp.customers) SELECT e, p FROM c",
        "SELECT c.email AS contact FROM cdp.customers AS c WHERE c.customer_id < 100",
        "SELECT CAST(email AS VARCHAR(500)) FROM cdp.customers WHERE customer_id < 100",
        "SELECT LOWER(email), UPPER(phone) FROM cdp.customers WHERE customer_id < 100",
        "SELECT email || '' FROM cdp.customers WHERE customer_id < 100",
        "SELECT CASE WHEN email LIKE '%@%' THEN email ELSE phone END FROM cdp.customers WHERE customer_id < 100",
        "SELECT COALESCE(phone, email) FROM cdp.customers WHERE customer_id < 100",
        "SELECT email, COUNT(*) FROM cdp.customers GROUP BY email ORDER BY email LIMIT 50",
        "SELECT customer_id, email FROM cdp.customers ORDER BY email LIMIT 50",
        "SELECT a.email FROM cdp.customers a JOIN cdp.customers b ON a.email = b.email WHERE a.customer_id < 50",
        "SELECT email FROM cdp.customers WHERE customer_id = 42 UNION SELECT 'x' FROM cdp.products",
        "SELECT email FROM cdp.customers WHERE customer_id < 10 UNION ALL SELECT name FROM cdp.products",
        "SELECT FIRST_VALUE(email) OVER (ORDER BY customer_id), LAG(phone) OVER (ORDER BY customer_id)"
            + " FROM cdp.customers WHERE customer_id < 50",
        "SELECT \"EMAIL\", \"Phone\" FROM cdp.\"CUSTOMERS\" WHERE customer_id < 50",
        "SELECT Email FROM CDP.Customers WHERE Customer_Id < 50",
        "SELECT SUBSTRING(email FROM 1 FOR 200) FROM cdp.customers WHERE customer_id < 50",
        "SELECT MAX(email), MIN(phone) FROM cdp.customers",
        "SELECT email FROM cdp.customers WHERE customer_id IN (SELECT customer_id FROM cdp.purchases WHERE amount > 100) LIMIT 50",
        "SELECT (SELECT MAX(email) FROM cdp.customers c2 WHERE c2.customer_id = c.customer_id) FROM cdp.customers c WHERE customer_id < 50",
        "SELECT p.customer_id, c.email FROM cdp.propensity_scores p JOIN cdp.customers c ON c.customer_id = p.customer_id WHERE p.customer_id < 50",
        "VALUES (1)");
  }

  @ParameterizedTest
  @MethodSource("maskedColumnQueries")
  void maskedColumnsNeverComeBackClear(String sql) throws SQLException {
    for (List<Object> row : rows("max", sql)) {
      for (Object value : row) {
        if (value instanceof String text) {
          // A set lookup: AssertJ's doesNotContain scans the whole collection.
          assertThat(clearContacts.contains(text.trim().toLowerCase())).as("%s returned %s", sql, text).isFalse();
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT COUNT(*) FROM cdp.customers WHERE email = ?",
      "SELECT COUNT(*) FROM cdp.customers WHERE LOWER(TRIM(email)) = LOWER(TRIM(CAST(? AS VARCHAR(200))))",
      "SELECT COUNT(*) FROM cdp.customers WHERE email LIKE '%' || SUBSTRING(CAST(? AS VARCHAR(200)) FROM 2 FOR 8) || '%'"})
  void comparingAMaskedColumnWithAClearValueFindsNothing(String sql) throws SQLException {
    assertThat(((Number) rows("max", sql, clearEmailOf42).get(0).get(0)).longValue()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM households",
      "SELECT * FROM retail.households",
      "SELECT * FROM dw.retail.households",
      "SELECT * FROM \"dw\".\"retail\".\"households\"",
      "SELECT * FROM lake.ml.propensity",
      "SELECT household_key FROM cdp.customers",
      "SELECT email_address FROM cdp.customers",
      "SELECT * FROM information_schema.tables",
      "SELECT * FROM duckdb_tables()",
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT pg_read_file('/etc/passwd')",
      "SELECT * FROM TABLE(read_parquet('x.parquet'))"})
  void physicalNamesAndWarehouseFunctionsAreUnreachable(String sql) {
    assertThatThrownBy(() -> rows("admin", sql))
        .as(sql)
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("42S02", "42601", "42000"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 1 FROM cdp.products; DELETE FROM cdp.customers",
      "SELECT 1 FROM cdp.products /* harmless */; DROP TABLE cdp.products",
      "SELECT 1 FROM cdp.products -- comment\n; ATTACH 'x' AS y",
      "/* ; */ SELECT 1 FROM cdp.products; SELECT email FROM cdp.customers"})
  void commentsCannotHideASecondStatement(String sql) {
    assertThatThrownBy(() -> rows("max", sql))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"email", "\"email\"", "phone"})
  void parametersAreValuesNeverIdentifiers(String parameter) throws SQLException {
    List<List<Object>> rows =
        rows("max", "SELECT CAST(? AS VARCHAR(20)) AS v FROM cdp.customers WHERE customer_id = 42", parameter);
    assertThat(rows.get(0).get(0)).isEqualTo(parameter);
    assertThatThrownBy(() -> rows("max", "SELECT * FROM ?", "cdp.customers"))
        .isInstanceOf(SQLException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT DISTINCT region FROM cdp.customers",
      "SELECT region FROM cdp.customers WHERE region <> 'EU' OR 1 = 1",
      "SELECT region FROM (SELECT * FROM cdp.customers) c WHERE c.region = 'NA'",
      "WITH all_customers AS (SELECT * FROM cdp.customers) SELECT region FROM all_customers WHERE region <> 'EU'",
      "SELECT c.region FROM cdp.purchases p JOIN cdp.customers c ON c.customer_id = p.customer_id WHERE c.region <> 'EU' LIMIT 5"})
  void rowFiltersHoldUnderEveryQueryShape(String sql) throws SQLException {
    for (List<Object> row : rows("mia", sql)) {
      assertThat(row.get(0)).as(sql).isEqualTo("EU");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT COUNT(*) FROM cdp.purchases p WHERE NOT EXISTS (SELECT 1 FROM cdp.customers c WHERE c.customer_id = p.customer_id)",
      "SELECT COUNT(*) FROM cdp.web_sessions w WHERE w.customer_id NOT IN (SELECT customer_id FROM cdp.customers)",
      "SELECT COUNT(*) FROM cdp.propensity_scores s LEFT JOIN cdp.customers c ON c.customer_id = s.customer_id WHERE c.customer_id IS NULL"})
  void eventsOfHiddenCustomersAreHiddenToo(String sql) throws SQLException {
    assertThat(((Number) rows("mia", sql).get(0).get(0)).longValue()).as(sql).isZero();
  }

  static List<List<Object>> rows(String user, String sql, Object... params) throws SQLException {
    return rowsAs(user, sql, params);
  }

  /** All rows of {@code sql} run as {@code user} on the shared gateway. */
  /** Rows as {@code user}, or as {@code user/purpose}: the user declaring that purpose. */
  static List<List<Object>> rowsAs(String user, String sql, Object... params) throws SQLException {
    return TestingGateway.rows(TestingGateway.shared(), "protobuf", user, sql, params);
  }
}
