package dev.sluice.gateway.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A cursor over a row source that is read one row at a time: batching, the done flag, stopping
 * (cancel or timeout, from any thread) and closing are the same for every source.
 */
abstract class StreamingCursor implements RowCursor {
  private volatile StopReason stopReason;
  private boolean done;
  private boolean closed;

  /** Moves to the next row; false at the end. */
  abstract boolean advance() throws Exception;

  /** The current row, in the representation described in {@link QueryCursor}. */
  abstract Object[] row() throws Exception;

  /** Interrupts the source from another thread (must not wait for a running fetch). */
  abstract void interrupt();

  /** Releases the source. */
  abstract void release();

  /** The gateway error for a failure of the source that was not caused by a stop. */
  abstract RuntimeException failure(Exception e);

  @Override
  public final synchronized List<Object[]> fetch(int maxRows) {
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
        if (!advance()) {
          done = true;
          close();
          break;
        }
        rows.add(row());
      }
    } catch (Exception e) {
      close();
      StopReason reason = stopReason;
      if (reason != null) {
        throw reason.exception();
      }
      throw failure(e);
    }
    return rows;
  }

  @Override
  public final synchronized boolean done() {
    return done;
  }

  @Override
  public final void cancel() {
    stop(StopReason.canceled());
  }

  /** Stops the query from any thread; not synchronized so that it can interrupt a blocked fetch. */
  final void stop(StopReason reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
    interrupt();
  }

  @Override
  public final synchronized void close() {
    if (!closed) {
      closed = true;
      release();
    }
  }
}
