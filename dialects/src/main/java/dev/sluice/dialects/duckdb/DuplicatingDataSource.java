package dev.sluice.dialects.duckdb;

import static java.util.Objects.requireNonNull;

import dev.sluice.dialects.ConnectionFactoryDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out new connections to the database instance behind one open DuckDB connection, so that
 * every pooled connection shares that instance (its buffer pool, catalog and settings). Each new
 * connection runs the session set-up first: the {@code required} statements must succeed (they
 * decide what queries mean), while a failing {@code bestEffort} statement (a tuning setting a later
 * DuckDB may rename) is logged once and skipped, so that it can slow queries but never stop them.
 */
final class DuplicatingDataSource extends ConnectionFactoryDataSource {
  private static final Logger LOG = LoggerFactory.getLogger(DuplicatingDataSource.class);

  private final DuckDBConnection base;
  private final List<String> required;
  private final List<String> bestEffort;
  private final AtomicBoolean warned = new AtomicBoolean();

  DuplicatingDataSource(DuckDBConnection base, List<String> required, List<String> bestEffort) {
    this.base = requireNonNull(base, "base is null");
    this.required = List.copyOf(required);
    this.bestEffort = List.copyOf(bestEffort);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = base.duplicate();
    try (Statement statement = connection.createStatement()) {
      for (String setup : required) {
        try {
          statement.execute(setup);
        } catch (SQLException e) {
          throw new SQLException("DuckDB session set-up failed on " + setup + ": " + e.getMessage(), e);
        }
      }
      for (String setup : bestEffort) {
        try {
          statement.execute(setup);
        } catch (SQLException e) {
          if (warned.compareAndSet(false, true)) {
            LOG.warn("DuckDB refused the session setting {} ({}); sessions run without it", setup, e.getMessage());
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return connection;
  }
}
