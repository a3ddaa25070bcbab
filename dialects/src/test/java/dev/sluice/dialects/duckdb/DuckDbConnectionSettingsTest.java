package dev.sluice.dialects.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.dialects.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbConnectionSettingsTest {
  @TempDir Path directory;
  private Path file;

  @BeforeEach
  void createDatabase() throws SQLException {
    file = directory.resolve("wh.duckdb");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t AS SELECT range AS i FROM range(10)");
    }
  }

  @Test
  void pooledConnectionsReadTheFile() throws Exception {
    try (Warehouse warehouse = new DuckDbConnectionSettings(file, true, 2).open("dw")) {
      assertThat(warehouse.name()).isEqualTo("dw");
      assertThat(warehouse.dialect()).isSameAs(DuckDbDialect.INSTANCE);
      assertThat(single(warehouse, "SELECT count(*) FROM t")).isEqualTo("10");
    }
  }

  @Test
  void readOnlyRefusesWrites() throws Exception {
    try (Warehouse warehouse = new DuckDbConnectionSettings(file, true, 1).open("dw");
        Connection connection = warehouse.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("CREATE TABLE u (i INTEGER)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("read-only");
    }
  }

  @Test
  void pooledConnectionsAndSecondWarehouseShareOneDatabaseInstance() throws Exception {
    try (Warehouse first = new DuckDbConnectionSettings(file, true, 2).open("a");
        Warehouse second = new DuckDbConnectionSettings(file, true, 2).open("b");
        Connection one = first.dataSource().getConnection();
        Connection two = first.dataSource().getConnection()) {
      // A global setting is per database instance: seeing it elsewhere proves the sharing.
      try (Statement statement = one.createStatement()) {
        statement.execute("SET GLOBAL memory_limit = '123MB'");
      }
      assertThat(single(two, "SELECT current_setting('memory_limit')")).startsWith("117.3 MiB");
      assertThat(single(second, "SELECT current_setting('memory_limit')")).startsWith("117.3 MiB");
    }
  }

  @Test
  void sameFileWithOtherPropertiesIsRefusedByTheDriver() throws Exception {
    try (Warehouse readOnly = new DuckDbConnectionSettings(file, true, 1).open("a")) {
      assertThatThrownBy(() -> new DuckDbConnectionSettings(file, false, 1).open("b"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("different configuration");
    }
  }

  @Test
  void sessionsAreUtcWithIntegerDivision() throws Exception {
    try (Warehouse warehouse = new DuckDbConnectionSettings(file, true, 1).open("dw")) {
      assertThat(single(warehouse, "SELECT current_setting('TimeZone')")).isEqualTo("UTC");
      assertThat(single(warehouse, "SELECT 7 / 2")).isEqualTo("3");
    }
  }

  @Test
  void aPlainLimitStreamsInsteadOfBeingLateMaterialized() throws Exception {
    // DuckDB's own default rewrites a plain LIMIT into a row-id join sorted by row id, which
    // builds the whole result before its first row; the gateway's sessions scan and stop instead.
    String query = "SELECT i FROM t LIMIT 100";
    try (Connection plain = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      assertThat(plan(plain, query)).contains("HASH_JOIN");
    }
    try (Warehouse warehouse = new DuckDbConnectionSettings(file, true, 1).open("dw");
        Connection pooled = warehouse.dataSource().getConnection()) {
      assertThat(plan(pooled, query)).contains("STREAMING_LIMIT").doesNotContain("HASH_JOIN");
    }
  }

  @Test
  void resultsStreamInsteadOfMaterializing() throws Exception {
    // The last of 20M rows raises an error: a materializing driver fails in executeQuery, a
    // streaming one hands out the first rows long before the error row is computed.
    String query =
        "SELECT CASE WHEN i = 19999999 THEN error('materialized') ELSE i END"
            + " FROM range(20000000) AS r(i)";
    try (Warehouse warehouse = new DuckDbConnectionSettings(file, true, 1).open("dw");
        Connection connection = warehouse.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      for (long expected = 0; expected < 100_000; expected++) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(expected);
      }
    }
  }

  @Test
  void closingTheWarehouseReleasesTheFile() throws Exception {
    new DuckDbConnectionSettings(file, true, 2).open("dw").close();

    // Only possible once the read-only instance is gone: the driver refuses mixed configurations.
    try (Warehouse writable = new DuckDbConnectionSettings(file, false, 1).open("dw")) {
      assertThat(single(writable, "SELECT count(*) FROM t")).isEqualTo("10");
    }
  }

  @Test
  void missingFileIsAClearError() {
    Path missing = directory.resolve("missing.duckdb");

    assertThatThrownBy(() -> new DuckDbConnectionSettings(missing, true, 1).open("dw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("dw");
  }

  private static String plan(Connection connection, String query) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery("EXPLAIN " + query)) {
      assertThat(resultSet.next()).isTrue();
      return resultSet.getString("explain_value");
    }
  }

  private static String single(Warehouse warehouse, String sql) throws SQLException {
    try (Connection connection = warehouse.dataSource().getConnection()) {
      return single(connection, sql);
    }
  }

  private static String single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery(sql)) {
      assertThat(resultSet.next()).isTrue();
      return resultSet.getString(1);
    }
  }

  @Test
  void aTuningSettingDuckDbRefusesIsSkippedButARequiredOneFailsTheConnection() throws Exception {
    try (org.duckdb.DuckDBConnection base =
            (org.duckdb.DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file)) {
      DuplicatingDataSource tolerant = new DuplicatingDataSource(
          base, List.of("SET TimeZone = 'UTC'"), List.of("SET disabled_optimizers = 'no_such_optimizer'"));
      try (Connection connection = tolerant.getConnection()) {
        assertThat(single(connection, "SELECT current_setting('TimeZone')")).isEqualTo("UTC");
        assertThat(single(connection, "SELECT count(*) FROM t")).isEqualTo("10");
      }
      DuplicatingDataSource strict = new DuplicatingDataSource(
          base, List.of("SET no_such_setting = 1"), List.of());
      assertThatThrownBy(strict::getConnection)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("DuckDB session set-up failed on SET no_such_setting = 1");
    }
  }
}
