package dev.sluice.dialects.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.dialects.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBPreparedStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementReusingDataSourceTest {
  private static final String QUERY = "SELECT i * 10 FROM t WHERE i = ?";

  @TempDir Path directory;
  private Warehouse warehouse;
  private StatementReusingDataSource statements;

  @BeforeEach
  void openWarehouse() throws Exception {
    Path file = directory.resolve("wh.duckdb");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t AS SELECT range AS i FROM range(1000)");
    }
    // One pooled session, so that every borrow gets the same one.
    warehouse = new DuckDbConnectionSettings(file, true, 1).open("dw");
    statements = warehouse.dataSource().unwrap(StatementReusingDataSource.class);
  }

  @AfterEach
  void closeWarehouse() throws Exception {
    warehouse.close();
  }

  @Test
  void aSessionRunsTheSameQueryAgainOnTheStatementItPrepared() throws Exception {
    DuckDBPreparedStatement first;
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("/* sluice query_id=1 user=mia */ " + QUERY)) {
      first = statement.unwrap(DuckDBPreparedStatement.class);
      assertThat(run(statement, 4)).isEqualTo(40);
    }
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "/* sluice query_id=2 user=max */ " + QUERY, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      assertThat(statement.unwrap(DuckDBPreparedStatement.class)).isSameAs(first);
      // The parameters of the previous use are gone: running without them fails.
      assertThatThrownBy(statement::executeQuery).isInstanceOf(SQLException.class);
    }
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(QUERY)) {
      assertThat(statement.unwrap(DuckDBPreparedStatement.class)).isNotSameAs(first);
      assertThat(run(statement, 7)).isEqualTo(70);
    }
  }

  @Test
  void aLeaseClosesItsResultsAndIsClosedItselfWhileTheStatementLivesOn() throws Exception {
    ResultSet results;
    PreparedStatement lease;
    try (Connection connection = warehouse.dataSource().getConnection()) {
      lease = connection.prepareStatement(QUERY);
      lease.setLong(1, 1);
      results = lease.executeQuery();
      lease.close();
      assertThat(results.isClosed()).isTrue();
      assertThat(lease.isClosed()).isTrue();
      assertThatThrownBy(() -> lease.setLong(1, 2)).hasMessageContaining("closed");
      // A late cancel of a closed lease must not reach the statement another query now uses.
      lease.cancel();
      assertThat(statements.keptStatements()).isEqualTo(1);
    }
  }

  @Test
  void aFailedCanceledOrReconfiguredStatementIsNotHandedOn() throws Exception {
    String failing = "SELECT CAST(? AS INTEGER)";
    DuckDBPreparedStatement failed;
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(failing)) {
      failed = statement.unwrap(DuckDBPreparedStatement.class);
      statement.setString(1, "not a number");
      assertThatThrownBy(statement::executeQuery).isInstanceOf(SQLException.class);
    }
    assertThat(statements.keptStatements()).isZero();
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(failing)) {
      assertThat(statement.unwrap(DuckDBPreparedStatement.class)).isNotSameAs(failed);
      statement.setString(1, "12");
      try (ResultSet results = statement.executeQuery()) {
        assertThat(results.next()).isTrue();
        assertThat(results.getInt(1)).isEqualTo(12);
      }
    }

    DuckDBPreparedStatement canceled;
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(QUERY)) {
      canceled = statement.unwrap(DuckDBPreparedStatement.class);
      statement.cancel();
    }
    DuckDBPreparedStatement limited;
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(QUERY)) {
      limited = statement.unwrap(DuckDBPreparedStatement.class);
      assertThat(limited).isNotSameAs(canceled);
      statement.setMaxRows(1);
    }
    assertThat(canceled.isClosed()).isTrue();
    assertThat(limited.isClosed()).isTrue();
    // Only the cast that succeeded is kept.
    assertThat(statements.keptStatements()).isEqualTo(1);
  }

  @Test
  void aCancelStopsARunningQueryAndItsStatementIsReplaced() throws Exception {
    String slow = "SELECT count(*) FROM range(?) a, range(100000) b WHERE a.range + b.range < 0";
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(slow)) {
      statement.setLong(1, 10_000_000);
      CompletableFuture<Void> running = startRunning(statement);
      statement.cancel();
      assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS)).hasMessageContaining("nterrupt");
    }
    assertTheSessionRunsAShortOne(slow);
  }

  @Test
  void closingTheConnectionWhileAQueryRunsWaitsForItBeforeTheSessionGoesBack() throws Exception {
    String slow = "SELECT count(*) FROM range(?) a, range(100000) b WHERE a.range + b.range < 0";
    Connection connection = warehouse.dataSource().getConnection();
    PreparedStatement statement = connection.prepareStatement(slow);
    statement.setLong(1, 10_000_000);
    CompletableFuture<Void> running = startRunning(statement);
    statement.cancel();
    // Closing the connection closes the lease, which waits for the canceled execution to return.
    connection.close();
    assertThat(statement.isClosed()).isTrue();
    assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS)).hasMessageContaining("nterrupt");
    assertTheSessionRunsAShortOne(slow);
  }

  @Test
  void closingTheConnectionGivesBackTheStatementsItsCallerLeftOpen() throws Exception {
    DuckDBPreparedStatement first;
    try (Connection connection = warehouse.dataSource().getConnection()) {
      PreparedStatement leftOpen = connection.prepareStatement(QUERY);
      first = leftOpen.unwrap(DuckDBPreparedStatement.class);
      assertThat(run(leftOpen, 2)).isEqualTo(20);
    }
    assertThat(statements.keptStatements()).isEqualTo(1);
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(QUERY)) {
      assertThat(statement.unwrap(DuckDBPreparedStatement.class)).isSameAs(first);
    }
  }

  @Test
  void twoLeasesOfOneQueryOnOneSessionHaveTheirOwnStatements() throws Exception {
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement one = connection.prepareStatement(QUERY);
        PreparedStatement two = connection.prepareStatement(QUERY)) {
      assertThat(one.unwrap(DuckDBPreparedStatement.class)).isNotSameAs(two.unwrap(DuckDBPreparedStatement.class));
      // DuckDB streams one result per session at a time, so one is read before the other runs.
      assertThat(run(one, 1)).isEqualTo(10);
      assertThat(run(two, 2)).isEqualTo(20);
    }
    assertThat(statements.keptStatements()).isEqualTo(1);
  }

  @Test
  void aSessionKeepsItsMostRecentlyUsedStatementsOnly() throws Exception {
    List<DuckDBPreparedStatement> prepared = new ArrayList<>();
    try (Connection connection = warehouse.dataSource().getConnection()) {
      for (int i = 0; i <= StatementReusingDataSource.STATEMENTS_PER_SESSION; i++) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + i + " + i FROM t WHERE i = ?")) {
          prepared.add(statement.unwrap(DuckDBPreparedStatement.class));
          assertThat(run(statement, 1)).isEqualTo(i + 1);
        }
      }
    }
    assertThat(statements.keptStatements()).isEqualTo(StatementReusingDataSource.STATEMENTS_PER_SESSION);
    assertThat(prepared.get(0).isClosed()).isTrue();
    assertThat(prepared.get(1).isClosed()).isFalse();
  }

  @Test
  void statementsOfASessionThePoolRetiredAreForgotten() throws Exception {
    DuckDBPreparedStatement old;
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(QUERY)) {
      old = statement.unwrap(DuckDBPreparedStatement.class);
      assertThat(run(statement, 3)).isEqualTo(30);
    }
    warehouse.dataSource().unwrap(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(QUERY)) {
      assertThat(old.isClosed()).isTrue();
      assertThat(statement.unwrap(DuckDBPreparedStatement.class)).isNotSameAs(old);
      assertThat(run(statement, 5)).isEqualTo(50);
    }
    assertThat(statements.keptStatements()).isEqualTo(1);
  }

  @Test
  void onlyALeadingBlockCommentIsLeftOut() {
    assertThat(StatementReusingDataSource.withoutLeadingComment("/* sluice query_id=x user=y */ SELECT 1"))
        .isEqualTo("SELECT 1");
    assertThat(StatementReusingDataSource.withoutLeadingComment("  /*a*/SELECT /* b */ 1")).isEqualTo("SELECT /* b */ 1");
    assertThat(StatementReusingDataSource.withoutLeadingComment("SELECT 1 /* c */")).isEqualTo("SELECT 1 /* c */");
    assertThat(StatementReusingDataSource.withoutLeadingComment("/* unterminated SELECT 1"))
        .isEqualTo("/* unterminated SELECT 1");
  }

  /** Runs {@code statement} on another thread and gives it 300 ms to get going. */
  private static CompletableFuture<Void> startRunning(PreparedStatement statement) throws InterruptedException {
    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
      try (ResultSet results = statement.executeQuery()) {
        results.next();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300);
    return running;
  }

  /** The (single) session runs {@code slow} over a short range after a canceled run. */
  private void assertTheSessionRunsAShortOne(String slow) throws SQLException {
    try (Connection connection = warehouse.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(slow)) {
      statement.setLong(1, 10);
      try (ResultSet results = statement.executeQuery()) {
        assertThat(results.next()).isTrue();
        assertThat(results.getLong(1)).isZero();
      }
    }
  }

  private static long run(PreparedStatement statement, long i) throws SQLException {
    statement.setLong(1, i);
    try (ResultSet results = statement.executeQuery()) {
      assertThat(results.next()).isTrue();
      long value = results.getLong(1);
      assertThat(results.next()).isFalse();
      return value;
    }
  }
}
