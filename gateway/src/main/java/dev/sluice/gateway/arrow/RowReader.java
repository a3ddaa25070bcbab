package dev.sluice.gateway.arrow;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Reads one column of Arrow batches as the engine's row values: the same values as
 * {@link RowValues#of}({@code type}, {@link ArrowValues#read}), decided once per column instead
 * of once per value. Where the vector holds exactly the column's type (a {@code BIGINT} in a
 * {@link BigIntVector}, a {@code TIMESTAMP} in microseconds without a zone, ...), the value is
 * taken from the vector without the intermediate object {@code getObject} would build; anything
 * else goes the general way.
 */
@FunctionalInterface
public interface RowReader {
  /** The value at {@code index}, or null. */
  Object read(int index);

  /** The reader for a column of {@code type} held in {@code vector}. */
  static RowReader of(RelDataType type, FieldVector vector) {
    switch (type.getSqlTypeName()) {
      case BIGINT:
        if (vector instanceof BigIntVector v) {
          return index -> v.isNull(index) ? null : v.get(index);
        }
        break;
      case INTEGER:
        if (vector instanceof IntVector v) {
          return index -> v.isNull(index) ? null : v.get(index);
        }
        break;
      case SMALLINT:
        if (vector instanceof SmallIntVector v) {
          return index -> v.isNull(index) ? null : v.get(index);
        }
        break;
      case TINYINT:
        if (vector instanceof TinyIntVector v) {
          return index -> v.isNull(index) ? null : v.get(index);
        }
        break;
      case FLOAT:
      case DOUBLE:
        if (vector instanceof Float8Vector v) {
          return index -> v.isNull(index) ? null : v.get(index);
        }
        break;
      case REAL:
        if (vector instanceof Float4Vector v) {
          return index -> v.isNull(index) ? null : v.get(index);
        }
        break;
      case BOOLEAN:
        if (vector instanceof BitVector v) {
          return index -> v.isNull(index) ? null : v.get(index) != 0;
        }
        break;
      case DECIMAL:
        if (vector instanceof DecimalVector v) {
          return v::getObject;
        }
        break;
      case TIMESTAMP:
        if (vector instanceof TimeStampMicroVector v) {
          // Epoch milliseconds, rounded down as for values before 1970.
          return index -> v.isNull(index) ? null : Math.floorDiv(v.get(index), 1_000L);
        }
        break;
      case CHAR:
      case VARCHAR:
        if (vector instanceof VarCharVector v) {
          return index -> v.isNull(index) ? null : new String(v.get(index), UTF_8);
        }
        break;
      default:
        break;
    }
    return index -> RowValues.of(type, ArrowValues.read(vector, index));
  }
}
