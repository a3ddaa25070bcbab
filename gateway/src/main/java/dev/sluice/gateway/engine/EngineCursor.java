package dev.sluice.gateway.engine;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.arrow.ArrowTypeMapping;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A running query as clients see it: its identity, columns and timeout around its rows, counting
 * the rows it hands out and ending its {@link QueryLifecycle} (admission slots, metrics) as soon as
 * the query is over: all rows read, failed, canceled, timed out or closed.
 */
final class EngineCursor implements QueryCursor {
  private final List<ResultColumn> columns;
  private final RowCursor cursor;
  private final QueryAttribution attribution;
  private final QueryLifecycle lifecycle;
  private final Consumer<StopReason> stop;
  private final Executor releaser;
  private volatile ScheduledFuture<?> timer;
  private volatile StopReason stopped;

  /**
   * @param stop stops the rows' source from any thread (interrupts the warehouse statement)
   * @param releaser runs the release after a stop, so neither the timeout thread nor a canceling
   *     caller waits for a fetch in progress to notice the stop
   */
  EngineCursor(
      List<ResultColumn> columns,
      RowCursor cursor,
      QueryAttribution attribution,
      QueryLifecycle lifecycle,
      Consumer<StopReason> stop,
      Executor releaser) {
    this.columns = columns;
    this.cursor = cursor;
    this.attribution = attribution;
    this.lifecycle = lifecycle;
    this.stop = stop;
    this.releaser = releaser;
  }

  /** Attaches the timer that stops the query at its timeout (see {@link #timedOut}). */
  void arm(ScheduledFuture<?> timeoutTimer) {
    this.timer = timeoutTimer;
    if (lifecycle.ended()) {
      timeoutTimer.cancel(false);
    }
  }

  /** Called by the timer: cancels the warehouse statement and releases the query's resources. */
  void timedOut(StopReason reason) {
    stopAndRelease(reason);
  }

  @Override
  public String queryId() {
    return attribution.queryId();
  }

  @Override
  public List<ResultColumn> columns() {
    return columns;
  }

  @Override
  public List<Object[]> fetch(int maxRows) {
    List<Object[]> rows;
    try {
      rows = cursor.fetch(maxRows);
    } catch (RuntimeException e) {
      throw failed(e);
    }
    lifecycle.rows(rows.size());
    endWhenDone();
    return rows;
  }

  @Override
  public ArrowBatches arrow(BufferAllocator allocator, int batchRows) {
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be positive, got " + batchRows);
    }
    ArrowBatches batches;
    try {
      batches = cursor.arrow(ArrowTypeMapping.schema(columns), allocator, batchRows);
    } catch (RuntimeException e) {
      throw failed(e);
    }
    return ArrowBatches.of(batches.root(), () -> {
      boolean loaded;
      try {
        loaded = batches.next();
      } catch (RuntimeException e) {
        throw failed(e);
      }
      if (loaded) {
        lifecycle.rows(batches.root().getRowCount());
      }
      endWhenDone();
      return loaded;
    });
  }

  private RuntimeException failed(RuntimeException e) {
    disarm();
    lifecycle.failed(e instanceof GatewayException gateway ? gateway.code() : ErrorCode.INTERNAL_ERROR);
    return e;
  }

  private void endWhenDone() {
    if (cursor.done()) {
      disarm();
      lifecycle.succeeded();
    }
  }

  private void disarm() {
    ScheduledFuture<?> armed = timer;
    if (armed != null) {
      armed.cancel(false);
    }
  }

  @Override
  public java.util.OptionalLong foldedGroups() {
    return cursor instanceof FoldedGroupsCursor folded ? folded.foldedGroups() : java.util.OptionalLong.empty();
  }

  @Override
  public boolean done() {
    return cursor.done();
  }

  @Override
  public void cancel() {
    stopAndRelease(StopReason.canceled());
  }

  private void stopAndRelease(StopReason reason) {
    disarm();
    if (lifecycle.ended()) {
      return;
    }
    if (stopped == null) {
      stopped = reason;
    }
    stop.accept(reason);
    releaser.execute(() -> {
      // With Arrow batches in use the release waits for the close, which ends the lifecycle.
      if (cursor.releaseWarehouse()) {
        lifecycle.failed(reason.code());
      }
    });
  }

  @Override
  public void close() {
    disarm();
    cursor.close();
    // Closed before the last row and not stopped: the client stopped reading, its own choice.
    StopReason reason = stopped;
    lifecycle.failed(reason == null ? ErrorCode.QUERY_CANCELED : reason.code());
  }
}
