package dev.sluice.gateway.engine;

import dev.sluice.gateway.arrow.ValueWriter;
import java.util.ArrayList;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.List;

/** A cursor over rows the gateway computed itself, such as the lines of an EXPLAIN. */
final class ListCursor implements RowCursor {
  private final List<Object[]> rows;
  private int position;
  private boolean canceled;
  private final List<VectorSchemaRoot> roots = new ArrayList<>();

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
  public ArrowBatches arrow(Schema schema, BufferAllocator allocator, int batchRows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    synchronized (this) {
      roots.add(root);
    }
    return ArrowBatches.of(root, () -> {
      List<Object[]> batch = fetch(batchRows);
      root.clear();
      List<FieldVector> vectors = root.getFieldVectors();
      for (int column = 0; column < vectors.size(); column++) {
        ValueWriter writer = ValueWriter.forVector(vectors.get(column));
        for (int row = 0; row < batch.size(); row++) {
          writer.write(row, batch.get(row)[column]);
        }
      }
      root.setRowCount(batch.size());
      return !batch.isEmpty();
    });
  }

  @Override
  public boolean releaseWarehouse() {
    return true;
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
  public synchronized void close() {
    roots.forEach(VectorSchemaRoot::close);
    roots.clear();
  }
}
