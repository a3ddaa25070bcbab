package dev.sluice.dialects.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parses typical audience SQL with Calcite, renders it with {@link DuckDbDialect} and checks that
 * DuckDB itself runs the result and returns the expected answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuckDbDialectTest {
  private Connection duckDb;

  @BeforeAll
  void createTables() throws SQLException {
    duckDb = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = duckDb.createStatement()) {
      for (String setup : DuckDbConnectionSettings.SESSION_SETUP) {
        statement.execute(setup);
      }
      statement.execute("CREATE SCHEMA cdp");
      statement.execute(
          "CREATE TABLE cdp.customers (customer_id BIGINT, email VARCHAR, city VARCHAR,"
              + " signup_at TIMESTAMP, email_opt_in BOOLEAN, lifetime_value DECIMAL(12,2))");
      statement.execute(
          "INSERT INTO cdp.customers VALUES"
              + " (1, 'ann@gmail.com', 'San Diego', TIMESTAMP '2019-03-04 05:06:07.123456', true, 1200.50),"
              + " (2, 'bob@web.de', 'Berlin', TIMESTAMP '2021-11-30 23:59:59', false, 80.00),"
              + " (3, 'cem@gmail.com', 'San Sebastián', TIMESTAMP '2024-12-31 00:00:00', true, 300.25),"
              + " (4, NULL, 'Tokyo', TIMESTAMP '2018-01-01 00:00:00', NULL, 0.00)");
      statement.execute("CREATE TABLE cdp.scores (customer_id BIGINT, bread DOUBLE)");
      statement.execute("INSERT INTO cdp.scores VALUES (1, 0.91), (2, 0.15), (3, 0.66), (4, 0.5)");
    }
  }

  @AfterAll
  void close() throws SQLException {
    duckDb.close();
  }

  // Each row: the query Calcite parses, then the expected rows as DuckDB returns them ("|" between
  // columns, ";" between rows).
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '#',
      textBlock =
          """
          SELECT EXTRACT(YEAR FROM signup_at) AS y FROM cdp.customers ORDER BY y # 2018;2019;2021;2024
          SELECT SUBSTRING(email FROM POSITION('@' IN email) + 1) AS d FROM cdp.customers WHERE email IS NOT NULL ORDER BY d # gmail.com;gmail.com;web.de
          SELECT SUBSTRING(email FROM 1 FOR 3) FROM cdp.customers WHERE customer_id = 2 # bob
          SELECT customer_id FROM cdp.scores WHERE bread >= 0.5 INTERSECT SELECT customer_id FROM cdp.customers WHERE email_opt_in ORDER BY 1 # 1;3
          SELECT customer_id FROM cdp.scores EXCEPT SELECT customer_id FROM cdp.customers WHERE email_opt_in ORDER BY 1 # 2;4
          SELECT COUNT(DISTINCT SUBSTRING(email FROM POSITION('@' IN email) + 1)) FROM cdp.customers # 2
          SELECT FLOOR(bread * 10) / 10 AS bucket, COUNT(*) FROM cdp.scores GROUP BY FLOOR(bread * 10) / 10 ORDER BY bucket # 0.1|1;0.5|1;0.6|1;0.9|1
          SELECT CASE WHEN lifetime_value >= 1000 THEN 'vip' WHEN lifetime_value >= 250 THEN 'regular' ELSE 'occasional' END AS s FROM cdp.customers ORDER BY customer_id # vip;occasional;regular;occasional
          SELECT customer_id FROM cdp.customers WHERE signup_at >= TIMESTAMP '2019-03-04 05:06:07.123456' AND signup_at < TIMESTAMP '2024-12-31 00:00:00' ORDER BY 1 # 1;2
          SELECT CAST(lifetime_value AS DECIMAL(10, 1)) FROM cdp.customers WHERE customer_id = 3 # 300.3
          SELECT CAST(customer_id AS VARCHAR(5)) || '-' || CAST(bread AS VARCHAR) FROM cdp.scores WHERE customer_id = 2 # 2-0.15
          SELECT customer_id FROM cdp.customers WHERE email_opt_in AND NOT (customer_id = 3) # 1
          SELECT customer_id FROM cdp.customers WHERE email_opt_in IS NOT TRUE ORDER BY 1 # 2;4
          SELECT customer_id FROM cdp.customers ORDER BY customer_id LIMIT 2 OFFSET 1 # 2;3
          SELECT customer_id FROM cdp.customers ORDER BY customer_id OFFSET 3 ROWS # 4
          SELECT customer_id FROM cdp.customers ORDER BY customer_id FETCH FIRST 1 ROWS ONLY # 1
          SELECT city FROM cdp.customers WHERE city LIKE 'San%' ORDER BY city # San Diego;San Sebastián
          SELECT customer_id FROM cdp.customers WHERE city = 'San Sebastián' # 3
          SELECT customer_id FROM cdp.customers WHERE signup_at + INTERVAL '1' DAY > TIMESTAMP '2024-12-31 12:00:00' # 3
          SELECT customer_id FROM cdp.customers WHERE CAST(signup_at AS DATE) = DATE '2021-11-30' # 2
          SELECT COUNT(*) FROM cdp.customers c JOIN cdp.scores s ON s.customer_id = c.customer_id WHERE s.bread > 0.6 AND c.email_opt_in # 2
          SELECT c.customer_id FROM cdp.customers c WHERE NOT EXISTS (SELECT 1 FROM cdp.scores s WHERE s.customer_id = c.customer_id AND s.bread < 0.6) ORDER BY 1 # 1;3
          SELECT customer_id, ROW_NUMBER() OVER (ORDER BY lifetime_value DESC) FROM cdp.customers ORDER BY 2 LIMIT 1 # 1|1
          SELECT customer_id FROM cdp.customers ORDER BY email_opt_in DESC, customer_id # 1;3;2;4
          SELECT customer_id / 2, customer_id * 1.0 / 2 FROM cdp.customers WHERE customer_id = 3 # 1|1.5
          """)
  void renderedSqlRunsOnDuckDb(String query, String expected) throws Exception {
    String rendered = render(query);

    assertThat(rows(rendered)).as(rendered).isEqualTo(expected.strip());
  }

  @Test
  void charsetOfAStringLiteralIsDropped() throws Exception {
    SqlNode literal = SqlLiteral.createCharString("San Sebastián", "UTF8", SqlParserPos.ZERO);

    String rendered = "SELECT " + literal.toSqlString(DuckDbDialect.INSTANCE).getSql();

    assertThat(rendered).isEqualTo("SELECT 'San Sebastián'");
    assertThat(rows(rendered)).isEqualTo("San Sebastián");
  }

  @Test
  void charsetOfACastTargetIsDropped() throws Exception {
    SqlDataTypeSpec varchar =
        new SqlDataTypeSpec(
            new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, 20, -1, "ISO-8859-1", SqlParserPos.ZERO),
            SqlParserPos.ZERO);
    SqlNode cast =
        SqlStdOperatorTable.CAST.createCall(
            SqlParserPos.ZERO, SqlLiteral.createExactNumeric("42", SqlParserPos.ZERO), varchar);

    String rendered = "SELECT " + cast.toSqlString(DuckDbDialect.INSTANCE).getSql();

    assertThat(rows(rendered)).as(rendered).isEqualTo("42");
  }

  private static String render(String query) throws SqlParseException {
    SqlNode node = SqlParser.create(query).parseQuery();
    return node.toSqlString(DuckDbDialect.INSTANCE).getSql();
  }

  private String rows(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = duckDb.createStatement();
        ResultSet resultSet = statement.executeQuery(sql)) {
      int columns = resultSet.getMetaData().getColumnCount();
      while (resultSet.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(String.valueOf(resultSet.getObject(i)));
        }
        rows.add(String.join("|", values));
      }
    }
    return String.join(";", rows);
  }
}
