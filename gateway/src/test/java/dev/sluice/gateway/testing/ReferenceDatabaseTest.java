package dev.sluice.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.dialects.Warehouse;
import dev.sluice.dialects.duckdb.DuckDbConnectionSettings;
import dev.sluice.gateway.demo.DemoDataGenerator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReferenceDatabaseTest {
  @TempDir static Path directory;
  private static DemoDataGenerator demo;
  private static ReferenceDatabase reference;

  @BeforeAll
  static void generateDemo() throws Exception {
    demo = new DemoDataGenerator(directory, 2_000, 1);
    demo.generate();
    reference = ReferenceDatabase.open(demo.dwFile(), demo.lakeFile());
  }

  @AfterAll
  static void closeReference() throws Exception {
    reference.close();
  }

  static Stream<Corpus.Query> corpus() {
    return Corpus.load().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void corpusQueryRuns(Corpus.Query query) throws Exception {
    List<List<Object>> rows = reference.query(query.sql(), query.paramArray());

    assertThat(rows).as(query.name()).isNotNull();
  }

  @Test
  void virtualColumnsAreInDesignOrder() throws Exception {
    assertThat(columns("customers"))
        .containsExactly(
            "customer_id BIGINT", "email VARCHAR", "phone VARCHAR", "first_name VARCHAR",
            "last_name VARCHAR", "birth_date DATE", "city VARCHAR", "region VARCHAR",
            "country VARCHAR", "loyalty_tier VARCHAR", "signup_at TIMESTAMP",
            "email_opt_in BOOLEAN", "ads_opt_in BOOLEAN", "lifetime_value DECIMAL(12,2)");
    assertThat(columns("propensity_scores"))
        .containsExactly(
            "customer_id BIGINT", "bread DOUBLE", "soft_drinks DOUBLE", "dairy DOUBLE",
            "produce DOUBLE", "snacks DOUBLE", "frozen DOUBLE", "scored_at TIMESTAMP");
    assertThat(columns("purchases"))
        .containsExactly(
            "order_id BIGINT", "customer_id BIGINT", "product_id BIGINT",
            "purchased_at TIMESTAMP", "quantity INTEGER", "amount DECIMAL(12,2)",
            "channel VARCHAR");
    assertThat(columns("web_sessions"))
        .containsExactly(
            "session_id VARCHAR", "customer_id BIGINT", "started_at TIMESTAMP", "device VARCHAR",
            "utm_source VARCHAR", "page_views INTEGER", "converted BOOLEAN");
    assertThat(columns("products"))
        .containsExactly(
            "product_id BIGINT", "name VARCHAR", "category VARCHAR", "brand VARCHAR",
            "price DECIMAL(10,2)");
  }

  @Test
  void viewsMapPhysicalValues() throws Exception {
    assertThat(reference.query("SELECT DISTINCT loyalty_tier FROM cdp.customers ORDER BY 1"))
        .containsExactly(List.of("bronze"), List.of("gold"), List.of("platinum"), List.of("silver"));
    assertThat(reference.query("SELECT customer_id, loyalty_tier FROM cdp.customers WHERE customer_id = ?", 42L))
        .singleElement()
        .satisfies(row -> assertThat(row.get(0)).isEqualTo(42L));
    assertThat(reference.query("SELECT count(*) FROM cdp.customers")).containsExactly(List.of(2_000L));
    assertThat(reference.query("SELECT count(*) FROM cdp.propensity_scores")).containsExactly(List.of(2_000L));
  }

  @Test
  void attachesFilesThatAWarehouseInThisJvmHoldsReadOnly() throws Exception {
    try (Warehouse dw = new DuckDbConnectionSettings(demo.dwFile(), true, 2).open("dw");
        Warehouse lake = new DuckDbConnectionSettings(demo.lakeFile(), true, 2).open("lake");
        ReferenceDatabase second = ReferenceDatabase.open(demo.dwFile(), demo.lakeFile());
        Connection connection = dw.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM retail.households")) {
      assertThat(rows.next()).isTrue();
      assertThat(second.query("SELECT count(*) FROM cdp.customers"))
          .containsExactly(List.of(rows.getLong(1)));
      assertThat(second.query("SELECT count(*) FROM cdp.web_sessions")).isNotEmpty();
    }
  }

  private static List<String> columns(String view) throws Exception {
    List<String> columns = new ArrayList<>();
    try (Statement statement = reference.connection().createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM cdp." + view + " LIMIT 0")) {
      ResultSetMetaData metaData = rows.getMetaData();
      for (int i = 1; i <= metaData.getColumnCount(); i++) {
        columns.add(metaData.getColumnName(i) + " " + metaData.getColumnTypeName(i));
      }
    }
    return columns;
  }
}
