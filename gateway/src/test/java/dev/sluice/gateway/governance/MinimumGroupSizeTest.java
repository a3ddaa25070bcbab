package dev.sluice.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.ResultRows;
import dev.sluice.gateway.testing.TestingGateway;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo analyst {@code ana} is aggregation-only with {@code min_group_size: 25}: every group she
 * gets aggregates at least 25 distinct customers, or is folded into the NULL-keyed remainder, or
 * its values are NULL; customer-level results are refused. Expected results are computed from
 * {@code admin}'s unrestricted view of the same data.
 */
public class MinimumGroupSizeTest {
  private static final int K = 25;

  /** Queries whose floors fold groups, for differential tests on other warehouses. */
  public static final List<String> FOLDING_QUERIES = List.of(
      "SELECT city, EXTRACT(YEAR FROM birth_date), COUNT(*), SUM(lifetime_value) FROM cdp.customers"
          + " GROUP BY city, EXTRACT(YEAR FROM birth_date)",
      "SELECT COUNT(*) FROM cdp.customers WHERE customer_id = 42",
      "SELECT COUNT(*) FROM (SELECT customer_id FROM cdp.customers WHERE customer_id < 20"
          + " INTERSECT SELECT customer_id FROM cdp.purchases)",
      "SELECT p.channel, COUNT(DISTINCT c.customer_id) FROM cdp.customers c JOIN cdp.purchases p"
          + " ON p.customer_id = c.customer_id WHERE c.customer_id < 2000 GROUP BY p.channel",
      "SELECT c.loyalty_tier, AVG(s.bread) FROM cdp.customers c JOIN cdp.propensity_scores s"
          + " ON s.customer_id = c.customer_id WHERE c.customer_id < 300 GROUP BY c.loyalty_tier",
      "SELECT city, COUNT(*) FROM cdp.customers GROUP BY city HAVING COUNT(*) < 30");

  private final GatewayServer server = TestingGateway.shared();

  /** The corpus queries without parameters and {@link #FOLDING_QUERIES}: what {@code ana} is tested with elsewhere. */
  public static java.util.stream.Stream<String> anaQueries() {
    return java.util.stream.Stream.concat(
        dev.sluice.gateway.testing.Corpus.load().stream()
            .map(dev.sluice.gateway.testing.Corpus.Query::sql)
            .filter(sql -> !sql.contains("?")),
        FOLDING_QUERIES.stream());
  }

  /**
   * {@code sql} as {@code ana} on {@code server} answers as on the all-DuckDB demo gateway,
   * refusals (their SQLSTATE) included: the floor runs in that warehouse's dialect.
   */
  public static void assertAnaAnswersLikeTheDuckDbGateway(GatewayServer server, String sql) throws SQLException {
    List<List<Object>> expected;
    try {
      expected = TestingGateway.rows(TestingGateway.shared(), "protobuf", "ana", sql);
    } catch (SQLException refused) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestingGateway.rows(server, "protobuf", "ana", sql))
          .as(sql)
          .isInstanceOfSatisfying(SQLException.class,
              e -> assertThat(e.getSQLState()).isEqualTo(refused.getSQLState()));
      return;
    }
    List<List<Object>> actual = TestingGateway.rows(server, "protobuf", "ana", sql);
    assertThat(ResultRows.sorted(ResultRows.normalize(actual))).as(sql).isEqualTo(ResultRows.sorted(ResultRows.normalize(expected)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "city",
      "loyalty_tier",
      "city, EXTRACT(YEAR FROM birth_date)",
      "region, CAST(lifetime_value / 1000 AS INTEGER)"})
  void perGroupCountsKeepGroupsOfAtLeast25AndFoldTheRestIntoANullKeyedRemainder(String keys) throws Exception {
    int keyCount = keys.split(",(?![^(]*\\))").length;
    String sql = "SELECT " + keys + ", COUNT(*) AS n, SUM(lifetime_value) FROM cdp.customers GROUP BY " + keys;
    Map<List<Object>, List<Object>> expected = new HashMap<>();
    List<Object> nullKeys = Arrays.asList(new Object[keyCount]);
    long remainderCount = 0;
    BigDecimal remainderSum = BigDecimal.ZERO;
    int small = 0;
    for (List<Object> row : rows("admin", sql)) {
      List<Object> key = row.subList(0, keyCount);
      long n = ((Number) row.get(keyCount)).longValue();
      if (n >= K && !key.contains(null)) { // a group with a NULL key is folded too
        expected.put(key, List.of(n, row.get(keyCount + 1)));
      } else {
        small++;
        remainderCount += n;
        remainderSum = remainderSum.add((BigDecimal) row.get(keyCount + 1));
      }
    }
    if (small > 0) {
      expected.put(nullKeys, remainderCount >= K ? List.of(remainderCount, remainderSum) : Arrays.asList(null, null));
    }
    Map<List<Object>, List<Object>> actual = new HashMap<>();
    for (List<Object> row : rows("ana", sql)) {
      List<Object> key = row.subList(0, keyCount);
      assertThat(actual).as("one row per group").doesNotContainKey(key);
      Object n = row.get(keyCount) == null ? null : ((Number) row.get(keyCount)).longValue();
      actual.put(key, Arrays.asList(n, row.get(keyCount + 1)));
      assertThat(n == null || (long) n >= K).as(row.toString()).isTrue();
    }
    assertThat(actual).isEqualTo(expected);
    if (keys.contains("birth_date")) {
      assertThat(small).as("this grouping has groups below 25 to fold").isGreaterThan(10);
      assertThat(expected.size()).as("and groups of 25 or more to keep").isGreaterThan(10);
    }
  }

  @Test
  void scalarAggregatesOverFewerThan25CustomersAreNull() throws Exception {
    assertThat(rows("ana", "SELECT COUNT(*) FROM cdp.customers WHERE customer_id = 42"))
        .containsExactly(Arrays.asList((Object) null));
    assertThat(rows("ana", "SELECT MAX(lifetime_value) FROM cdp.customers WHERE customer_id IN (1, 2)"))
        .containsExactly(Arrays.asList((Object) null));
    assertThat(rows("ana", "SELECT SUM(amount), COUNT(*) FROM cdp.purchases WHERE customer_id = 42"))
        .containsExactly(Arrays.asList(null, null));
    // Large enough: the same value admin sees.
    assertThat(rows("ana", "SELECT COUNT(*) FROM cdp.customers WHERE customer_id <= 100"))
        .isEqualTo(rows("admin", "SELECT COUNT(*) FROM cdp.customers WHERE customer_id <= 100"));
  }

  @Test
  void customerLevelResultsAreRefusedNamingTheRule() {
    for (String sql : List.of(
        "SELECT * FROM cdp.customers",
        "SELECT customer_id, city FROM cdp.customers WHERE customer_id = 42",
        "SELECT city FROM cdp.customers",
        "SELECT * FROM cdp.purchases",
        "SELECT customer_id, COUNT(*) FROM cdp.purchases GROUP BY customer_id",
        "SELECT customer_id FROM cdp.propensity_scores WHERE bread >= 0.66",
        "SELECT c.city, p.amount FROM cdp.customers c JOIN cdp.purchases p ON p.customer_id = c.customer_id",
        "SELECT customer_id FROM cdp.customers UNION ALL SELECT customer_id FROM cdp.purchases",
        "SELECT city, ROW_NUMBER() OVER (PARTITION BY city ORDER BY lifetime_value) FROM cdp.customers",
        "SELECT city FROM cdp.customers c WHERE EXISTS"
            + " (SELECT 1 FROM cdp.purchases p WHERE p.customer_id = c.customer_id AND p.amount > 100)",
        "WITH big AS (SELECT customer_id, SUM(amount) AS total FROM cdp.purchases GROUP BY customer_id)"
            + " SELECT * FROM big WHERE total > 1000")) {
      assertThat(message("ana", sql)).as(sql).startsWith("42501").contains("min_group_size 25");
    }
    assertThat(message("ana", "SELECT city, COUNT(*) FROM cdp.customers GROUP BY ROLLUP(city)"))
        .startsWith("42501").contains("GROUPING SETS, ROLLUP and CUBE");
  }

  @Test
  void compositeAudiencesBelow25AreNullHoweverTheQueryIsWritten() throws Exception {
    for (String sql : List.of(
        // subquery
        "SELECT COUNT(*) FROM cdp.customers WHERE customer_id IN"
            + " (SELECT customer_id FROM cdp.purchases WHERE customer_id < 10)",
        // join to events
        "SELECT COUNT(DISTINCT c.customer_id) FROM cdp.customers c JOIN cdp.purchases p"
            + " ON p.customer_id = c.customer_id WHERE c.customer_id < 10",
        // join to events, counting events
        "SELECT COUNT(*), SUM(p.amount) FROM cdp.customers c JOIN cdp.purchases p"
            + " ON p.customer_id = c.customer_id WHERE c.customer_id < 10",
        // CTE
        "WITH few AS (SELECT customer_id FROM cdp.customers WHERE customer_id < 5) SELECT COUNT(*) FROM few",
        // set operations
        "SELECT COUNT(*) FROM (SELECT customer_id FROM cdp.customers WHERE customer_id < 20"
            + " INTERSECT SELECT customer_id FROM cdp.purchases)",
        "SELECT COUNT(*) FROM (SELECT customer_id FROM cdp.customers WHERE customer_id < 20"
            + " EXCEPT SELECT customer_id FROM cdp.customers WHERE customer_id < 10)",
        "SELECT COUNT(*) FROM (SELECT customer_id FROM cdp.customers WHERE customer_id = 1"
            + " UNION ALL SELECT customer_id FROM cdp.customers WHERE customer_id = 2)",
        "SELECT COUNT(*) FROM (SELECT customer_id FROM cdp.customers WHERE customer_id = 1"
            + " UNION SELECT customer_id FROM cdp.purchases WHERE customer_id = 2)",
        // across warehouses (customers in dw, scores in lake)
        "SELECT AVG(s.bread) FROM cdp.customers c JOIN cdp.propensity_scores s"
            + " ON s.customer_id = c.customer_id WHERE c.customer_id < 10",
        // a scalar subquery over one customer, aggregated or not
        "SELECT (SELECT MAX(lifetime_value) FROM cdp.customers WHERE customer_id = 42) FROM cdp.products"
            + " WHERE product_id = (SELECT MIN(product_id) FROM cdp.products)",
        "SELECT (SELECT lifetime_value FROM cdp.customers WHERE customer_id = 42) FROM cdp.products"
            + " WHERE product_id = (SELECT MIN(product_id) FROM cdp.products)",
        // per-customer subquery, then counted
        "SELECT COUNT(*) FROM (SELECT customer_id FROM cdp.purchases WHERE customer_id < 10"
            + " GROUP BY customer_id HAVING COUNT(*) >= 1)",
        // correlated EXISTS
        "SELECT COUNT(*) FROM cdp.customers c WHERE c.customer_id < 10 AND EXISTS"
            + " (SELECT 1 FROM cdp.purchases p WHERE p.customer_id = c.customer_id)")) {
      List<List<Object>> rows = rows("ana", sql);
      assertThat(rows).as(sql).hasSize(1);
      assertThat(rows.get(0)).as(sql).containsOnlyNulls();
    }
  }

  @Test
  void everyGroupAggregatesAtLeast25CustomersWithHavingWindowsAndJoins() throws Exception {
    // HAVING sees the folded groups: no group below 25 can be singled out.
    for (List<Object> row : rows("ana",
        "SELECT city, COUNT(*) FROM cdp.customers GROUP BY city HAVING COUNT(*) < 30")) {
      assertThat(row.get(1) == null || ((Number) row.get(1)).longValue() >= K).as(row.toString()).isTrue();
    }
    // A window over the aggregates ranks the folded groups.
    List<List<Object>> ranked = rows("ana",
        "SELECT city, COUNT(*) AS n, RANK() OVER (ORDER BY COUNT(*) DESC) FROM cdp.customers GROUP BY city");
    assertThat(ranked).isNotEmpty().allSatisfy(row ->
        assertThat(row.get(1) == null || ((Number) row.get(1)).longValue() >= K).isTrue());
    // Events grouped by product: each product group counts distinct buyers, not purchases.
    Map<Object, Long> buyers = new HashMap<>();
    for (List<Object> row : rows("admin",
        "SELECT product_id, COUNT(DISTINCT customer_id) FROM cdp.purchases GROUP BY product_id")) {
      buyers.put(row.get(0), ((Number) row.get(1)).longValue());
    }
    List<List<Object>> products = rows("ana", "SELECT product_id, COUNT(*) FROM cdp.purchases GROUP BY product_id");
    for (List<Object> row : products) {
      if (row.get(0) != null) {
        assertThat(buyers.get(row.get(0))).as(row.toString()).isGreaterThanOrEqualTo((long) K);
      }
    }
    assertThat(products.stream().filter(row -> row.get(0) != null).count())
        .isEqualTo(buyers.values().stream().filter(n -> n >= K).count());
    // Across warehouses, by tier: the same groups as admin's where each has 25 customers or more.
    String byTier = "SELECT c.loyalty_tier, COUNT(*) FROM cdp.customers c JOIN cdp.propensity_scores s"
        + " ON s.customer_id = c.customer_id WHERE s.bread > 0.9 GROUP BY c.loyalty_tier";
    List<List<Object>> tiers = rows("ana", byTier);
    List<List<Object>> truth = rows("admin", byTier);
    for (List<Object> row : tiers) {
      assertThat(row.get(1) == null || ((Number) row.get(1)).longValue() >= K).isTrue();
    }
    long visible = truth.stream().filter(row -> ((Number) row.get(1)).longValue() >= K).count();
    assertThat(tiers.stream().filter(row -> row.get(0) != null).count()).isEqualTo(visible);
  }

  @Test
  void tablesWithoutCustomersAreNotRestricted() throws Exception {
    assertThat(rows("ana", "SELECT product_id, name FROM cdp.products ORDER BY product_id"))
        .isEqualTo(rows("admin", "SELECT product_id, name FROM cdp.products ORDER BY product_id"));
  }

  @Test
  void largeAggregatesMatchAdmin() throws Exception {
    for (String sql : List.of(
        "SELECT region, loyalty_tier, COUNT(*), AVG(lifetime_value) FROM cdp.customers"
            + " GROUP BY region, loyalty_tier ORDER BY region, loyalty_tier",
        "SELECT channel, COUNT(*), SUM(amount) FROM cdp.purchases GROUP BY channel ORDER BY channel",
        "SELECT COUNT(*) AS audience_size FROM (SELECT customer_id FROM cdp.propensity_scores WHERE bread >= 0.66"
            + " INTERSECT SELECT customer_id FROM cdp.propensity_scores WHERE soft_drinks BETWEEN 0.33 AND 0.66)")) {
      assertThat(ResultRows.normalize(rows("ana", sql))).as(sql).isEqualTo(ResultRows.normalize(rows("admin", sql)));
    }
  }

  @Test
  void flightSqlReturnsTheSameFoldedResultsAndRefusals() throws Exception {
    List<String> queries = List.of(
        "SELECT product_id, COUNT(*) FROM cdp.purchases GROUP BY product_id",
        "SELECT loyalty_tier, COUNT(*), AVG(lifetime_value) FROM cdp.customers WHERE customer_id < 400"
            + " GROUP BY loyalty_tier",
        "SELECT COUNT(*) FROM cdp.customers WHERE customer_id = 42",
        "SELECT COUNT(*) FROM (SELECT customer_id FROM cdp.customers WHERE customer_id < 20"
            + " INTERSECT SELECT customer_id FROM cdp.purchases)",
        "SELECT c.loyalty_tier, COUNT(*) FROM cdp.customers c JOIN cdp.propensity_scores s"
            + " ON s.customer_id = c.customer_id WHERE c.customer_id < 300 GROUP BY c.loyalty_tier");
    try (java.sql.Connection flight = java.sql.DriverManager.getConnection(TestingGateway.flightJdbcUrl(server, "ana"))) {
      for (String sql : queries) {
        assertThat(ResultRows.sorted(ResultRows.normalize(flightRows(flight, sql)))).as(sql).isEqualTo(ResultRows.sorted(ResultRows.normalize(rows("ana", sql))));
      }
      assertThatThrownByFlight(flight, "SELECT customer_id, city FROM cdp.customers WHERE customer_id = 42");
    }
  }

  private static void assertThatThrownByFlight(java.sql.Connection flight, String sql) {
    try {
      flightRows(flight, sql);
    } catch (SQLException e) {
      StringBuilder text = new StringBuilder();
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        text.append(cause.getMessage()).append(" | ");
      }
      assertThat(text.toString()).as(sql).contains("42501").contains("min_group_size 25");
      return;
    }
    throw new AssertionError("expected an error for " + sql);
  }

  private static List<List<Object>> flightRows(java.sql.Connection connection, String sql) throws SQLException {
    try (java.sql.PreparedStatement statement = connection.prepareStatement(sql);
        java.sql.ResultSet rs = statement.executeQuery()) {
      List<List<Object>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Object[] row = new Object[columns];
        for (int i = 0; i < columns; i++) {
          row[i] = rs.getObject(i + 1);
        }
        rows.add(Arrays.asList(row));
      }
      return rows;
    }
  }



  private String message(String user, String sql) {
    try {
      rows(user, sql);
    } catch (SQLException e) {
      return DemoPoliciesTest.fullMessage(e);
    }
    throw new AssertionError("expected an error for " + sql);
  }

  private List<List<Object>> rows(String user, String sql) throws SQLException {
    return TestingGateway.rows(server, "protobuf", user, sql);
  }

}
