package dev.sluice.gateway.testing;

import static java.util.Objects.requireNonNull;

import dev.sluice.dialects.duckdb.DuckDbConnectionSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The expected side of differential tests: an in-memory DuckDB that attaches the demo files
 * read-only and defines the virtual schema {@code cdp} as plain views, so a corpus query runs on
 * it unchanged and its answer is what the gateway must return.
 *
 * <p>Sessions get the warehouse session set-up (UTC, integer division), so the reference answers
 * with the same SQL semantics the gateway validates queries against.
 */
public final class ReferenceDatabase implements AutoCloseable {
  private static final List<String> VIEWS =
      List.of(
          """
          CREATE VIEW cdp.customers AS
          SELECT household_key AS customer_id, email_address AS email, phone_number AS phone,
                 given_name AS first_name, family_name AS last_name, date_of_birth AS birth_date,
                 city, region_code AS region, country_code AS country, lower(tier) AS loyalty_tier,
                 created_at AS signup_at, email_consent AS email_opt_in, ads_consent AS ads_opt_in,
                 ltv AS lifetime_value
          FROM dw.retail.households
          """,
          """
          CREATE VIEW cdp.propensity_scores AS
          SELECT household_key AS customer_id, p_bread AS bread, p_soft_drinks AS soft_drinks,
                 p_dairy AS dairy, p_produce AS produce, p_snacks AS snacks, p_frozen AS frozen,
                 scored_ts AS scored_at
          FROM lake.ml.propensity
          """,
          """
          CREATE VIEW cdp.purchases AS
          SELECT txn_id AS order_id, household_key AS customer_id, sku_id AS product_id,
                 txn_ts AS purchased_at, qty AS quantity, net_amount AS amount, channel
          FROM dw.retail.transactions
          """,
          """
          CREATE VIEW cdp.web_sessions AS
          SELECT session_id, household_key AS customer_id, session_start AS started_at,
                 device_type AS device, utm_source, page_views, converted
          FROM lake.web.sessions
          """,
          """
          CREATE VIEW cdp.products AS
          SELECT sku_id AS product_id, sku_name AS name, category, brand, list_price AS price
          FROM dw.retail.skus
          """);

  private final Connection connection;

  private ReferenceDatabase(Connection connection) {
    this.connection = connection;
  }

  /** Attaches the two demo files read-only (as {@code dw} and {@code lake}) and creates the views. */
  public static ReferenceDatabase open(Path dwFile, Path lakeFile) throws SQLException {
    requireNonNull(dwFile, "dwFile is null");
    requireNonNull(lakeFile, "lakeFile is null");
    Connection connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      for (String setup : DuckDbConnectionSettings.SESSION_SETUP) {
        statement.execute(setup);
      }
      // ATTACH opens the file inside this in-memory instance, not through the driver's instance
      // cache, so it works while a warehouse pool in this JVM holds the same file read-only.
      statement.execute("ATTACH '" + sqlString(dwFile) + "' AS dw (READ_ONLY)");
      statement.execute("ATTACH '" + sqlString(lakeFile) + "' AS lake (READ_ONLY)");
      statement.execute("CREATE SCHEMA cdp");
      for (String view : VIEWS) {
        statement.execute(view);
      }
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return new ReferenceDatabase(connection);
  }

  public Connection connection() {
    return connection;
  }

  /** Runs a query with positional parameters and returns all its rows, values as JDBC objects. */
  public List<List<Object>> query(String sql, Object... params) throws SQLException {
    requireNonNull(sql, "sql is null");
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (ResultSet resultSet = statement.executeQuery()) {
        int columns = resultSet.getMetaData().getColumnCount();
        List<List<Object>> rows = new ArrayList<>();
        while (resultSet.next()) {
          Object[] row = new Object[columns];
          for (int i = 0; i < columns; i++) {
            row[i] = resultSet.getObject(i + 1);
          }
          // Values may be NULL, which List.of refuses.
          rows.add(Collections.unmodifiableList(Arrays.asList(row)));
        }
        return Collections.unmodifiableList(rows);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  private static String sqlString(Path path) {
    return path.toAbsolutePath().toString().replace("'", "''");
  }
}
