package dev.sluice.gateway.audit;

import dev.sluice.gateway.engine.ArrowBatches;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.ResultColumn;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A query's cursor as the audit log sees it: counts the rows (and, for Arrow batches, the bytes)
 * it returns, remembers how it failed, and writes the finished record when it is closed.
 */
final class AuditedCursor implements QueryCursor {
  private final QueryCursor cursor;
  private final AuditedExecution execution;
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile boolean arrow;
  private volatile RuntimeException failure;

  AuditedCursor(QueryCursor cursor, AuditedExecution execution) {
    this.cursor = cursor;
    this.execution = execution;
  }

  @Override
  public String queryId() {
    return cursor.queryId();
  }

  @Override
  public List<ResultColumn> columns() {
    return cursor.columns();
  }

  @Override
  public List<Object[]> fetch(int maxRows) {
    try {
      List<Object[]> batch = cursor.fetch(maxRows);
      rows.addAndGet(batch.size());
      return batch;
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public ArrowBatches arrow(BufferAllocator allocator, int batchRows) {
    ArrowBatches batches;
    try {
      batches = cursor.arrow(allocator, batchRows);
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
    arrow = true;
    return ArrowBatches.of(batches.root(), () -> {
      try {
        boolean loaded = batches.next();
        if (loaded) {
          VectorSchemaRoot root = batches.root();
          rows.addAndGet(root.getRowCount());
          bytes.addAndGet(ArrowBatches.bodyBytes(root));
        }
        return loaded;
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    });
  }

  @Override
  public boolean done() {
    return cursor.done();
  }

  @Override
  public OptionalLong foldedGroups() {
    return cursor.foldedGroups();
  }

  @Override
  public void cancel() {
    cursor.cancel();
  }

  @Override
  public void close() {
    boolean allRowsRead = failure == null && cursor.done();
    OptionalLong folded = cursor.foldedGroups();
    try {
      cursor.close();
    } finally {
      // Rows as Java arrays have no byte size worth reporting; Arrow batches do.
      execution.finish(
          Optional.ofNullable(failure), allRowsRead, rows.get(), arrow ? OptionalLong.of(bytes.get()) : OptionalLong.empty(),
          folded);
    }
  }
}
