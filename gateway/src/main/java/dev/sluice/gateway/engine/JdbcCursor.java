package dev.sluice.gateway.engine;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Streams a whole-pushdown query's rows straight from the warehouse's JDBC cursor. */
final class JdbcCursor implements RowCursor {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcCursor.class);

  private final String warehouse;
  private final Connection connection;
  private final PreparedStatement statement;
  private final ResultSet resultSet;
  private final ColumnReader[] readers;
  private volatile StopReason stopReason;
  private boolean done;
  private boolean closed;

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
  public synchronized List<Object[]> fetch(int maxRows) {
    if (stopReason != null) {
      close();
      throw stopReason.exception();
    }
    if (done) {
      return List.of();
    }
    List<Object[]> rows = new ArrayList<>(Math.min(maxRows, 16_384));
    try {
      while (rows.size() < maxRows) {
        if (!resultSet.next()) {
          done = true;
          close();
          break;
        }
        Object[] row = new Object[readers.length];
        for (int i = 0; i < readers.length; i++) {
          row[i] = readers[i].read(resultSet, i + 1);
        }
        rows.add(row);
      }
    } catch (SQLException e) {
      close();
      StopReason reason = stopReason;
      if (reason != null) {
        throw reason.exception();
      }
      throw Warehouses.failure(warehouse, e);
    }
    return rows;
  }

  @Override
  public synchronized boolean done() {
    return done;
  }

  @Override
  public void cancel() {
    stop(StopReason.canceled());
  }

  /** Stops the statement from any thread; not synchronized so it can interrupt a blocked fetch. */
  void stop(StopReason reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
    try {
      statement.cancel();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Cancel on warehouse {} failed: {}", warehouse, e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(resultSet);
    closeQuietly(statement);
    closeQuietly(connection);
  }

  private void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.debug("Closing a {} resource failed: {}", warehouse, e.toString());
    }
  }

}
