package dev.sluice.gateway.engine;

import dev.sluice.gateway.arrow.ArrowTypeMapping;
import dev.sluice.gateway.arrow.ArrowValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The rows of a plan under a minimum group size whose last column counts the folded groups (see
 * {@link MinimumGroupSize}): clients get every other column; the count is kept for the audit log.
 */
final class FoldedGroupsCursor implements RowCursor {
  private final RowCursor rows;
  private final List<ResultColumn> executed;
  private volatile long folded = -1;

  /** @param executed the columns {@code rows} produces, the folded-groups count last */
  FoldedGroupsCursor(RowCursor rows, List<ResultColumn> executed) {
    this.rows = rows;
    this.executed = List.copyOf(executed);
  }

  /** The count as read so far; empty until a row was read. */
  OptionalLong foldedGroups() {
    long count = folded;
    return count < 0 ? OptionalLong.empty() : OptionalLong.of(count);
  }

  private void saw(Object value) {
    if (value instanceof Number number) {
      folded = Math.max(folded, number.longValue());
    }
  }

  @Override
  public List<Object[]> fetch(int maxRows) {
    List<Object[]> fetched = rows.fetch(maxRows);
    List<Object[]> visible = new ArrayList<>(fetched.size());
    int width = executed.size() - 1;
    for (Object[] row : fetched) {
      saw(row[width]);
      visible.add(Arrays.copyOf(row, width));
    }
    return visible;
  }

  @Override
  public boolean done() {
    return rows.done();
  }

  @Override
  public ArrowBatches arrow(Schema schema, BufferAllocator allocator, int batchRows) {
    List<Field> fields = new ArrayList<>(schema.getFields());
    fields.add(ArrowTypeMapping.schema(executed.subList(executed.size() - 1, executed.size())).getFields().get(0));
    ArrowBatches batches = rows.arrow(new Schema(fields), allocator, batchRows);
    VectorSchemaRoot all = batches.root();
    List<FieldVector> vectors = all.getFieldVectors();
    VectorSchemaRoot visible = new VectorSchemaRoot(vectors.subList(0, vectors.size() - 1));
    return ArrowBatches.of(visible, () -> {
      if (!batches.next()) {
        return false;
      }
      if (all.getRowCount() > 0) {
        saw(ArrowValues.read(vectors.get(vectors.size() - 1), 0));
      }
      visible.setRowCount(all.getRowCount());
      return true;
    });
  }

  @Override
  public void cancel() {
    rows.cancel();
  }

  @Override
  public boolean releaseWarehouse() {
    return rows.releaseWarehouse();
  }

  @Override
  public void close() {
    rows.close();
  }
}
