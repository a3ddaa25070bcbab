package dev.sluice.dialects.duckdb;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.duckdb.DuckDBConnection;

/**
 * Hands out new connections to the database instance behind one open DuckDB connection, so that
 * every pooled connection shares that instance (its buffer pool, catalog and settings).
 */
final class DuplicatingDataSource implements DataSource {
  private final DuckDBConnection base;

  DuplicatingDataSource(DuckDBConnection base) {
    this.base = requireNonNull(base, "base is null");
  }

  @Override
  public Connection getConnection() throws SQLException {
    return base.duplicate();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    // An embedded database has no users; credentials have no meaning here.
    throw new SQLFeatureNotSupportedException("DuckDB connections take no credentials");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
