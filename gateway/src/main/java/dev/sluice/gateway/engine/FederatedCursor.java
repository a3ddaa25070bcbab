package dev.sluice.gateway.engine;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.linq4j.Enumerator;

/**
 * Streams the rows of a query that spans warehouses, evaluated by Calcite's compiled enumerable
 * code over each warehouse's pushdown cursor.
 */
final class FederatedCursor implements RowCursor {
  private final Enumerator<Object> enumerator;
  private final AtomicBoolean cancelFlag;
  private final int columnCount;
  private volatile StopReason stopReason;
  private boolean done;
  private boolean closed;

  FederatedCursor(Enumerator<Object> enumerator, AtomicBoolean cancelFlag, int columnCount) {
    this.enumerator = enumerator;
    this.cancelFlag = cancelFlag;
    this.columnCount = columnCount;
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
        if (!enumerator.moveNext()) {
          done = true;
          close();
          break;
        }
        Object current = enumerator.current();
        rows.add(columnCount == 1 && !(current instanceof Object[])
            ? new Object[] {current}
            : (Object[]) current);
      }
    } catch (RuntimeException e) {
      close();
      if (stopReason != null) {
        throw stopReason.exception();
      }
      SQLException sql = cause(e, SQLException.class);
      if (sql != null) {
        throw Warehouses.failure("(federated)", sql);
      }
      throw new GatewayException(
          ErrorCode.INTERNAL_ERROR, "The gateway failed while combining warehouse results", e);
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

  void stop(StopReason reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
    cancelFlag.set(true);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      enumerator.close();
    }
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
