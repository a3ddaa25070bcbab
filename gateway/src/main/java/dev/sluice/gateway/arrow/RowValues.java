package dev.sluice.gateway.arrow;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.util.Text;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Converts a value read from an Arrow vector ({@link ArrowValues#read}) into the engine's row
 * representation for a column of {@code type}: {@code DATE} as epoch days, {@code TIME} as
 * milliseconds of the day, {@code TIMESTAMP} as epoch milliseconds, integers of the column's width.
 */
public final class RowValues {
  private RowValues() {}

  public static Object of(RelDataType type, Object value) {
    if (value == null) {
      return null;
    }
    return switch (type.getSqlTypeName()) {
      case BOOLEAN -> value instanceof Boolean b ? b : ValueWriter.exactLong(value, 0, 1) == 1;
      case TINYINT -> (byte) ValueWriter.exactLong(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
      case SMALLINT -> (short) ValueWriter.exactLong(value, Short.MIN_VALUE, Short.MAX_VALUE);
      case INTEGER -> (int) ValueWriter.exactLong(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case BIGINT -> ValueWriter.exactLong(value, Long.MIN_VALUE, Long.MAX_VALUE);
      case REAL -> ((Number) value).floatValue();
      case FLOAT, DOUBLE -> ((Number) value).doubleValue();
      case DECIMAL -> ValueWriter.decimal(value);
      case CHAR, VARCHAR -> text(value);
      case BINARY, VARBINARY -> value instanceof byte[] ? value : text(value).getBytes(StandardCharsets.UTF_8);
      case DATE -> ValueWriter.epochDay(value);
      case TIME -> (int) (ValueWriter.microsOfDay(value) / 1_000L);
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Math.floorDiv(ValueWriter.epochMicros(value), 1_000L);
      default -> text(value);
    };
  }

  private static String text(Object value) {
    return value instanceof Text text ? text.toString() : value.toString();
  }
}
