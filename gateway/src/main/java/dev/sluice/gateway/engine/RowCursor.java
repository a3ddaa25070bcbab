package dev.sluice.gateway.engine;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The rows of one running query as the engine produces them, before it attaches the query's
 * identity and timeout to make the {@link QueryCursor} clients see. Same contract as there.
 */
interface RowCursor extends AutoCloseable {
  List<Object[]> fetch(int maxRows);

  boolean done();

  /** The remaining rows as Arrow batches of {@code schema}; see {@link QueryCursor#arrow}. */
  ArrowBatches arrow(Schema schema, BufferAllocator allocator, int batchRows);

  void cancel();

  /**
   * After a stop (cancel or timeout), gives the warehouse statement and connection back now rather
   * than at {@link #close()}; false when that must wait for the close (rows already being read as
   * Arrow, whose native stream may still read from the result).
   */
  boolean releaseWarehouse();

  @Override
  void close();
}
