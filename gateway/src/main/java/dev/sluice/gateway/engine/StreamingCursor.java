package dev.sluice.gateway.engine;

import dev.sluice.gateway.arrow.ValueWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cursor over a row source that is read one row at a time: batching, the done flag, stopping
 * (cancel or timeout, from any thread) and closing are the same for every source, whether rows are
 * pulled as Java arrays or as Arrow batches.
 */
abstract class StreamingCursor implements RowCursor {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingCursor.class);

  private volatile StopReason stopReason;
  private boolean done;
  private boolean closed;
  private AutoCloseable arrowResources;

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

  /** Writes the current row at {@code index} of a batch; sources may read their values directly. */
  RowSink arrowSink(VectorSchemaRoot root) {
    List<FieldVector> vectors = root.getFieldVectors();
    ValueWriter[] writers = new ValueWriter[vectors.size()];
    for (int i = 0; i < writers.length; i++) {
      writers[i] = ValueWriter.forVector(vectors.get(i));
    }
    return index -> {
      Object[] row = row();
      for (int i = 0; i < writers.length; i++) {
        writers[i].write(index, row[i]);
      }
    };
  }

  /** Writes the current row into a batch. */
  @FunctionalInterface
  interface RowSink {
    void write(int index) throws Exception;
  }

  /** Loads one batch of a source that produces batches itself; false at the end. */
  @FunctionalInterface
  interface BatchLoad {
    boolean load() throws Exception;
  }

  @Override
  public final List<Object[]> fetch(int maxRows) {
    List<Object[]> rows = new ArrayList<>(Math.min(maxRows, 16_384));
    pull(maxRows, index -> rows.add(row()));
    return rows;
  }

  /**
   * Reads up to {@code maxRows} rows, handing each to {@code sink} with its index in the batch;
   * returns how many were read.
   */
  private synchronized int pull(int maxRows, RowSink sink) {
    if (stopReason != null) {
      close();
      throw stopReason.exception();
    }
    if (done) {
      return 0;
    }
    int count = 0;
    try {
      while (count < maxRows) {
        if (!advance()) {
          done = true;
          break;
        }
        sink.write(count++);
      }
    } catch (Exception e) {
      close();
      throw stopFailure(e);
    }
    if (done) {
      closeSource();
    }
    return count;
  }

  /** Runs one batch load of a batch-producing source under the same rules as a fetch. */
  final synchronized boolean loadBatch(BatchLoad load) {
    if (stopReason != null) {
      close();
      throw stopReason.exception();
    }
    if (done) {
      return false;
    }
    try {
      if (load.load()) {
        return true;
      }
    } catch (Exception e) {
      close();
      throw stopFailure(e);
    }
    done = true;
    closeSource();
    return false;
  }

  private RuntimeException stopFailure(Exception e) {
    StopReason reason = stopReason;
    if (reason != null) {
      return reason.exception();
    }
    return failure(e);
  }

  @Override
  public ArrowBatches arrow(Schema schema, BufferAllocator allocator, int batchRows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    keepArrowResource(root);
    RowSink sink = arrowSink(root);
    return ArrowBatches.of(root, () -> {
      root.clear();
      for (FieldVector vector : root.getFieldVectors()) {
        vector.setInitialCapacity(batchRows);
        vector.allocateNew();
      }
      int count = pull(batchRows, sink);
      root.setRowCount(count);
      return count > 0;
    });
  }

  /** Registers Arrow memory (a root, a reader) to free with the cursor, before the source. */
  final synchronized void keepArrowResource(AutoCloseable resource) {
    if (arrowResources != null) {
      throw new IllegalStateException("The cursor's rows are already being read as Arrow");
    }
    arrowResources = resource;
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

  /**
   * Releases the warehouse side once every row is read; the last Arrow batch stays readable until
   * {@link #close()}.
   */
  private void closeSource() {
    if (arrowResources == null) {
      close();
    } else {
      releaseSource();
    }
  }

  private boolean sourceReleased;

  @Override
  public final synchronized boolean releaseWarehouse() {
    if (arrowResources != null) {
      return false;
    }
    releaseSource();
    return true;
  }

  private void releaseSource() {
    if (!sourceReleased) {
      sourceReleased = true;
      release();
    }
  }

  @Override
  public final synchronized void close() {
    if (!closed) {
      closed = true;
      if (arrowResources != null) {
        try {
          arrowResources.close();
        } catch (Exception e) {
          LOG.debug("Freeing a result's Arrow memory failed: {}", e.toString());
        }
      }
      releaseSource();
    }
  }
}
