package dev.sluice.gateway.audit;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.QueryAudit;
import dev.sluice.gateway.engine.QueryCursor;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** One audited execution: collects its timings and writes its finished record exactly once. */
final class AuditedExecution implements QueryAudit.AuditedQuery {
  static final String OK = "ok";
  static final String FAILED = "failed";
  static final String CANCELED = "canceled";
  static final String TIMEOUT = "timeout";
  static final String ADMISSION = "admission";

  private final String queryId;
  private final Duration planning;
  private final long startedNanos;
  private final Consumer<QueryFinished> writer;
  private final Runnable durability;
  private final boolean dropWarehouseMessages;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Duration queueWait;

  AuditedExecution(
      String queryId,
      Duration planning,
      long startedNanos,
      boolean dropWarehouseMessages,
      Runnable durability,
      Consumer<QueryFinished> writer) {
    this.queryId = queryId;
    this.durability = durability;
    this.planning = planning;
    this.startedNanos = startedNanos;
    this.dropWarehouseMessages = dropWarehouseMessages;
    this.writer = writer;
  }

  @Override
  public void awaitDurable() {
    durability.run();
  }

  @Override
  public void rejected(GatewayException failure) {
    finish(Optional.of(failure), Optional.of(ADMISSION), false, 0, OptionalLong.empty(), OptionalLong.empty());
  }

  @Override
  public void queueWait(Duration wait) {
    queueWait = wait;
  }

  @Override
  public QueryCursor track(QueryCursor cursor) {
    return new AuditedCursor(cursor, this);
  }

  @Override
  public void failed(RuntimeException failure) {
    finish(Optional.of(failure), Optional.empty(), false, 0, OptionalLong.empty(), OptionalLong.empty());
  }

  /** Writes the finished record, the first time only. */
  void finish(
      Optional<RuntimeException> failure, boolean allRowsRead, long rows, OptionalLong bytes, OptionalLong foldedGroups) {
    finish(failure, Optional.empty(), allRowsRead, rows, bytes, foldedGroups);
  }

  /** {@code rejectedAt}: the stage that refused the query after its started record, if one did. */
  private void finish(
      Optional<RuntimeException> failure,
      Optional<String> rejectedAt,
      boolean allRowsRead,
      long rows,
      OptionalLong bytes,
      OptionalLong foldedGroups) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    String status = rejectedAt.isPresent()
        ? QueryFinished.REJECTED
        : failure.map(AuditedExecution::status).orElse(allRowsRead ? OK : CANCELED);
    Optional<AuditError> error = failure.map(AuditError::of).map(this::safe);
    double planningMs = planning.toNanos() / 1e6;
    double sinceExecute = (System.nanoTime() - startedNanos) / 1e6;
    Optional<Double> queueMs = Optional.ofNullable(queueWait).map(wait -> wait.toNanos() / 1e6);
    double executionMs = Math.max(0, sinceExecute - queueMs.orElse(0.0));
    QueryFinished.Timings timings =
        new QueryFinished.Timings(queueMs, planningMs, executionMs, planningMs + sinceExecute);
    writer.accept(new QueryFinished(queryId, status, error, rows, bytes, timings, foldedGroups, rejectedAt));
  }

  private AuditError safe(AuditError error) {
    // Warehouse messages may quote the values a query compared; with redaction they stay out.
    boolean warehouse = error.code().equals(ErrorCode.WAREHOUSE_ERROR.name())
        || error.code().equals(ErrorCode.WAREHOUSE_UNAVAILABLE.name());
    return dropWarehouseMessages && warehouse ? error.withoutMessage() : error;
  }

  static String status(RuntimeException failure) {
    if (failure instanceof GatewayException gateway) {
      if (gateway.code() == ErrorCode.QUERY_TIMEOUT) {
        return TIMEOUT;
      }
      if (gateway.code() == ErrorCode.QUERY_CANCELED) {
        return CANCELED;
      }
    }
    return FAILED;
  }
}
