package dev.sluice.dialects.duckdb;

import static java.util.Objects.requireNonNull;

import dev.sluice.dialects.ConnectionFactoryDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;

/**
 * Hands out new connections to the database instance behind one open DuckDB connection, so that
 * every pooled connection shares that instance (its buffer pool, catalog and settings).
 */
final class DuplicatingDataSource extends ConnectionFactoryDataSource {
  private final DuckDBConnection base;

  DuplicatingDataSource(DuckDBConnection base) {
    this.base = requireNonNull(base, "base is null");
  }

  @Override
  public Connection getConnection() throws SQLException {
    return base.duplicate();
  }
}
