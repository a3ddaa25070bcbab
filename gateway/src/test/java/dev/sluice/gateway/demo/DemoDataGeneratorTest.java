package dev.sluice.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

class DemoDataGeneratorTest {
  private static final long CUSTOMERS = 3_000;

  @TempDir Path directory;

  // md5 over every row of a table in key order: equal digests mean equal contents.
  private static final List<String> CHECKSUMS =
      List.of(
          "SELECT md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY household_key)) FROM retail.households t",
          "SELECT md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY txn_id)) FROM retail.transactions t",
          "SELECT md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY sku_id)) FROM retail.skus t",
          "SELECT md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY household_key)) FROM lake.ml.propensity t",
          "SELECT md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY session_id)) FROM lake.web.sessions t",
          "SELECT string_agg(region_code || ':' || n || ':' || total, ',' ORDER BY region_code) FROM"
              + " (SELECT region_code, count(*) AS n, sum(ltv) AS total FROM retail.households"
              + " GROUP BY region_code)");

  @Test
  void sameSeedAndSizeGiveIdenticalData() throws Exception {
    DemoDataGenerator first = new DemoDataGenerator(directory.resolve("a"), CUSTOMERS, 7);
    DemoDataGenerator second = new DemoDataGenerator(directory.resolve("b"), CUSTOMERS, 7);
    DemoDataGenerator otherSeed = new DemoDataGenerator(directory.resolve("c"), CUSTOMERS, 8);
    first.generate();
    second.generate();
    otherSeed.generate();

    assertThat(checksums(second)).isEqualTo(checksums(first));
    assertThat(checksums(otherSeed)).doesNotContainAnyElementsOf(checksums(first).subList(0, 2));
  }

  @Test
  void secondStartReusesFilesAndOtherParametersRegenerate() throws Exception {
    Path data = directory.resolve("data");

    assertThat(new DemoDataGenerator(data, 500, 1).generate()).isTrue();
    assertThat(new DemoDataGenerator(data, 500, 1).generate()).isFalse();
    assertThat(new DemoDataGenerator(data, 600, 1).generate()).isTrue();
    assertThat(single(new DemoDataGenerator(data, 600, 1), "SELECT count(*) FROM retail.households"))
        .isEqualTo("600");
    assertThat(new DemoDataGenerator(data, 600, 2).generate()).isTrue();

    try (var files = Files.list(data)) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .containsExactlyInAnyOrder("dw.duckdb", "lake.duckdb", "demo-data.properties");
    }
  }

  @Test
  void dataHasTheDocumentedShape() throws Exception {
    DemoDataGenerator demo = new DemoDataGenerator(directory, CUSTOMERS, 42);
    demo.generate();

    assertThat(single(demo, "SELECT min(household_key) || '..' || max(household_key) || '/' || count(DISTINCT household_key) FROM retail.households"))
        .isEqualTo("1..3000/3000");
    assertThat(single(demo, "SELECT count(*) FROM retail.households WHERE created_at >= TIMESTAMP '2025-01-01'"))
        .isEqualTo("0");
    assertThat(single(demo, "SELECT min(date_of_birth) >= DATE '1940-01-01' AND max(date_of_birth) <= DATE '2006-12-31' FROM retail.households"))
        .isEqualTo("true");
    assertThat(single(demo, "SELECT count(*) FROM retail.transactions WHERE txn_ts < TIMESTAMP '2025-01-01' OR txn_ts >= TIMESTAMP '2026-06-30'"))
        .isEqualTo("0");
    assertThat(single(demo, "SELECT count(*) FROM lake.web.sessions WHERE session_start < TIMESTAMP '2025-01-01' OR session_start >= TIMESTAMP '2026-06-30'"))
        .isEqualTo("0");
    assertThat(single(demo, "SELECT count(*) = count(DISTINCT txn_id) FROM retail.transactions")).isEqualTo("true");
    assertThat(single(demo, "SELECT count(*) = count(DISTINCT session_id) FROM lake.web.sessions")).isEqualTo("true");
    assertThat(share(demo, "SELECT avg(n) FROM (SELECT count(t.txn_id) AS n FROM retail.households h LEFT JOIN retail.transactions t USING (household_key) GROUP BY h.household_key)"))
        .isBetween(18.0, 22.0);
    assertThat(share(demo, "SELECT avg(CASE WHEN NOT EXISTS (SELECT 1 FROM retail.transactions t WHERE t.household_key = h.household_key) THEN 1 ELSE 0 END) FROM retail.households h"))
        .isBetween(0.015, 0.045);
    assertThat(share(demo, "SELECT count(*) / " + CUSTOMERS + " FROM lake.web.sessions")).isBetween(9.0, 11.0);
    assertThat(share(demo, "SELECT avg(CASE WHEN phone_number IS NULL THEN 1 ELSE 0 END) FROM retail.households"))
        .isBetween(0.07, 0.13);
    assertThat(share(demo, "SELECT avg(CASE WHEN email_address <> lower(email_address) THEN 1 ELSE 0 END) FROM retail.households"))
        .isBetween(0.035, 0.065);
    assertThat(share(demo, "SELECT avg(CASE WHEN email_address <> trim(email_address) THEN 1 ELSE 0 END) FROM retail.households"))
        .isBetween(0.01, 0.03);
    assertThat(share(demo, "SELECT avg(CASE WHEN email_consent THEN 1 ELSE 0 END) FROM retail.households")).isBetween(0.55, 0.65);
    assertThat(share(demo, "SELECT avg(CASE WHEN ads_consent THEN 1 ELSE 0 END) FROM retail.households")).isBetween(0.40, 0.50);
    assertThat(share(demo, "SELECT avg(CASE WHEN ltv < 250 THEN 1 ELSE 0 END) FROM retail.households")).isBetween(0.4, 0.6);
    assertThat(share(demo, "SELECT avg(CASE WHEN ltv > 1000 THEN 1 ELSE 0 END) FROM retail.households")).isBetween(0.02, 0.1);
    assertThat(single(demo, "SELECT string_agg(DISTINCT tier, ',' ORDER BY tier) FROM retail.households"))
        .isEqualTo("BRONZE,GOLD,PLATINUM,SILVER");
    assertThat(single(demo, "SELECT count(*) FROM retail.households WHERE phone_number NOT SIMILAR TO '\\+[0-9]{11,13}'"))
        .isEqualTo("0");
    assertThat(single(demo, "SELECT string_agg(DISTINCT city, ',' ORDER BY city) FROM retail.households WHERE city LIKE 'San%'"))
        .isEqualTo("San Diego,San Francisco,San Jose,San Sebastián,Santiago,Santos");
    assertThat(single(demo, "SELECT count(DISTINCT region_code || country_code) FROM retail.households"))
        .isEqualTo("20");
    assertThat(single(demo, "SELECT count(*) FROM retail.skus")).isEqualTo("2000");
    assertThat(single(demo, "SELECT min(LEAST(p_bread, p_soft_drinks, p_dairy, p_produce, p_snacks, p_frozen)) >= 0 AND max(GREATEST(p_bread, p_soft_drinks, p_dairy, p_produce, p_snacks, p_frozen)) < 1 AND min(scored_ts) >= TIMESTAMP '2026-06-01' AND max(scored_ts) < TIMESTAMP '2026-07-01' FROM lake.ml.propensity"))
        .isEqualTo("true");
  }

  @Test
  @EnabledIfSystemProperty(named = "demo.big", matches = "true")
  void oneMillionCustomersInWellUnderAMinute() throws Exception {
    long started = System.nanoTime();
    new DemoDataGenerator(directory, 1_000_000, 1).generate();
    long seconds = (System.nanoTime() - started) / 1_000_000_000;

    System.out.println("Generated 1,000,000 demo customers in " + seconds + " s");
    assertThat(seconds).isLessThan(60);
  }

  private static List<String> checksums(DemoDataGenerator demo) throws SQLException {
    List<String> values = new ArrayList<>();
    for (String sql : CHECKSUMS) {
      values.add(single(demo, sql));
    }
    return values;
  }

  private static double share(DemoDataGenerator demo, String sql) throws SQLException {
    return Double.parseDouble(single(demo, sql));
  }

  private static String single(DemoDataGenerator demo, String sql) throws SQLException {
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + demo.dwFile(), readOnly);
        Statement statement = connection.createStatement()) {
      statement.execute("ATTACH '" + demo.lakeFile() + "' AS lake (READ_ONLY)");
      try (ResultSet resultSet = statement.executeQuery(sql)) {
        assertThat(resultSet.next()).isTrue();
        return resultSet.getString(1);
      }
    }
  }
}
