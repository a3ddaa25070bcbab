package dev.sluice.gateway.engine;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.linq4j.Enumerator;

/**
 * Streams the rows of a query that spans warehouses, evaluated by Calcite's compiled enumerable
 * code over each warehouse's pushdown cursor.
 */
final class FederatedCursor extends StreamingCursor {
  private final Enumerator<Object> enumerator;
  private final AtomicBoolean cancelFlag;
  private final int columnCount;

  FederatedCursor(Enumerator<Object> enumerator, AtomicBoolean cancelFlag, int columnCount) {
    this.enumerator = enumerator;
    this.cancelFlag = cancelFlag;
    this.columnCount = columnCount;
  }

  @Override
  boolean advance() {
    return enumerator.moveNext();
  }

  @Override
  Object[] row() {
    Object current = enumerator.current();
    // Calcite returns single-column rows as the bare value.
    return columnCount == 1 && !(current instanceof Object[]) ? new Object[] {current} : (Object[]) current;
  }

  @Override
  void interrupt() {
    cancelFlag.set(true);
  }

  @Override
  void release() {
    enumerator.close();
  }

  @Override
  RuntimeException failure(Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof SQLException sql) {
        return Warehouses.failure("(federated)", sql);
      }
    }
    return new GatewayException(
        ErrorCode.INTERNAL_ERROR, "The gateway failed while combining warehouse results", e);
  }
}
