package dev.sluice.bench;

import java.util.List;
import java.util.function.LongConsumer;

/** One client connection of a system under test, used by one harness thread at a time. */
interface BenchClient extends AutoCloseable {
  /**
   * Runs {@code sql} with {@code params}, reads every value of every row, and returns the row
   * count; {@code firstRow} receives {@link System#nanoTime()} when the first row is readable.
   */
  long run(String sql, List<Object> params, LongConsumer firstRow) throws Exception;

  /** Runs the prepared point query for {@code customerId}; returns the row count. */
  long point(long customerId) throws Exception;

  @Override
  void close() throws Exception;
}
