package dev.sluice.gateway.engine;

import java.util.List;

/** A cursor over rows the gateway computed itself, such as the lines of an EXPLAIN. */
final class ListCursor implements RowCursor {
  private final List<Object[]> rows;
  private int position;
  private boolean canceled;

  ListCursor(List<Object[]> rows) {
    this.rows = List.copyOf(rows);
  }

  @Override
  public synchronized List<Object[]> fetch(int maxRows) {
    if (canceled) {
      throw StopReason.canceled().exception();
    }
    int end = Math.min(rows.size(), position + maxRows);
    List<Object[]> batch = rows.subList(position, end);
    position = end;
    return batch;
  }

  @Override
  public synchronized boolean done() {
    return position >= rows.size();
  }

  @Override
  public synchronized void cancel() {
    canceled = true;
  }

  @Override
  public void close() {}
}
