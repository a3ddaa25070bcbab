package dev.sluice.gateway.engine;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Streams a whole-pushdown query's rows straight from the warehouse's JDBC cursor. */
final class JdbcCursor extends StreamingCursor {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcCursor.class);

  private final String warehouse;
  private final Connection connection;
  private final PreparedStatement statement;
  private final ResultSet resultSet;
  private final ColumnReader[] readers;

  JdbcCursor(
      String warehouse,
      Connection connection,
      PreparedStatement statement,
      ResultSet resultSet,
      List<ResultColumn> columns) {
    this.warehouse = warehouse;
    this.connection = connection;
    this.statement = statement;
    this.resultSet = resultSet;
    this.readers = columns.stream().map(c -> ColumnReader.forType(c.type())).toArray(ColumnReader[]::new);
  }

  @Override
  boolean advance() throws SQLException {
    return resultSet.next();
  }

  @Override
  Object[] row() throws SQLException {
    Object[] row = new Object[readers.length];
    for (int i = 0; i < readers.length; i++) {
      row[i] = readers[i].read(resultSet, i + 1);
    }
    return row;
  }

  @Override
  void interrupt() {
    try {
      statement.cancel();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Cancel on warehouse {} failed: {}", warehouse, e.toString());
    }
  }

  @Override
  void release() {
    closeQuietly(resultSet);
    closeQuietly(statement);
    closeQuietly(connection);
  }

  @Override
  RuntimeException failure(Exception e) {
    if (e instanceof SQLException sql) {
      return Warehouses.failure(warehouse, sql);
    }
    return new GatewayException(ErrorCode.INTERNAL_ERROR, "Reading warehouse " + warehouse + " failed", e);
  }

  private void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.debug("Closing a {} resource failed: {}", warehouse, e.toString());
    }
  }
}
