package dev.sluice.dialects.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.dialects.MaskFunctions;
import dev.sluice.dialects.Warehouse;
import dev.sluice.dialects.postgresql.TestingPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real Amazon Redshift JDBC driver, pooled the way the gateway pools it, against a real
 * PostgreSQL through {@link StartupParameterShim}: connection set-up, session settings and SQL
 * rendered in {@link RedshiftDialect}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedshiftDriverAgainstPostgresTest {
  private EmbeddedPostgres postgres;
  private StartupParameterShim shim;
  private Warehouse warehouse;

  @BeforeAll
  void start() throws Exception {
    postgres = TestingPostgres.start();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (id INTEGER, email VARCHAR, amount DECIMAL(12,2))");
      statement.execute(
          "INSERT INTO t VALUES (1, 'zoë@example.org', 12.50), (2, 'x@y', 0.30), (3, NULL, NULL)");
      // Redshift's SHA2(text, bits) as a PostgreSQL function, so Redshift-dialect SQL runs here.
      statement.execute(
          "CREATE FUNCTION sha2(text, integer) RETURNS text IMMUTABLE LANGUAGE sql AS"
              + " $$ SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') $$");
    }
    shim = StartupParameterShim.start(new InetSocketAddress("127.0.0.1", postgres.getPort()));
    // The embedded server trusts local connections, so any password is accepted.
    warehouse =
        RedshiftConnectionSettings.withPassword(
                "127.0.0.1", shim.port(), "postgres", "postgres", "unused", "disable", 2)
            .open("dw");
  }

  @AfterAll
  void close() throws Exception {
    try (EmbeddedPostgres closePostgres = postgres;
        StartupParameterShim closeShim = shim;
        Warehouse closeWarehouse = warehouse) {
      // Closed in reverse order: the pool, the shim, then PostgreSQL.
    }
  }

  @Test
  void connectsThroughTheRealRedshiftDriver() throws Exception {
    try (Connection connection = warehouse.dataSource().getConnection()) {
      assertThat(connection.getMetaData().getDriverName()).containsIgnoringCase("redshift");
    }
    assertThat(shim.removedParameters()).isNotEmpty();
    assertThat(shim.removedParameters().get(0)).containsKey("driver_version");
  }

  @Test
  void sessionsAreUtcAndCarryTheApplicationName() throws Exception {
    assertThat(query("SELECT current_setting('TimeZone'), current_setting('application_name')"))
        .containsExactly(List.of("UTC", "sluice"));
  }

  @Test
  void sessionsAreReadOnly() throws Exception {
    try (Connection connection = warehouse.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      assertThat(connection.isReadOnly()).isTrue();
      assertThatThrownBy(() -> statement.execute("INSERT INTO t VALUES (9, 'w', 1)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("read-only");
    }
  }

  @Test
  void runsSqlRenderedInTheRedshiftDialect() throws Exception {
    String sql =
        SqlParser.create(
                "SELECT \"id\", SLUICE_SHA256_HEX(\"email\") AS \"h\", SLUICE_MASKED(\"amount\") AS \"a\""
                    + " FROM \"t\" ORDER BY \"id\" LIMIT 2 OFFSET 1")
            .parseQuery()
            .toSqlString(RedshiftDialect.INSTANCE)
            .getSql();

    assertThat(sql).contains("SHA2(\"email\", 256)").contains("LIMIT 2").contains("OFFSET 1");
    assertThat(query(sql))
        .containsExactly(List.of("2", MaskFunctions.sha256Hex("x@y"), "0.30"), listOfNulls("3"));
  }

  private static List<String> listOfNulls(String id) {
    List<String> row = new ArrayList<>();
    row.add(id);
    row.add(null);
    row.add(null);
    return row;
  }

  private List<List<String>> query(String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Connection connection = warehouse.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(result.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
