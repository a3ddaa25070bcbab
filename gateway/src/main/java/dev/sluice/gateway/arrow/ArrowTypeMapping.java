package dev.sluice.gateway.arrow;

import dev.sluice.gateway.engine.ResultColumn;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.rel.type.RelDataType;

/**
 * The one mapping from the gateway's SQL result types to Arrow, used by every Arrow path (Flight
 * SQL, Arrow IPC over HTTP, DuckDB's native export once converted). Documented in the README:
 *
 * <ul>
 *   <li>BOOLEAN: Bool; TINYINT, SMALLINT, INTEGER, BIGINT: signed Int(8, 16, 32, 64);
 *   <li>REAL: FloatingPoint(SINGLE); FLOAT, DOUBLE: FloatingPoint(DOUBLE);
 *   <li>DECIMAL(p, s): Decimal(p, s, 128), p capped at 38;
 *   <li>CHAR, VARCHAR: Utf8; BINARY, VARBINARY: Binary;
 *   <li>DATE: Date(DAY); TIME: Time(MICROSECOND, 64);
 *   <li>TIMESTAMP: Timestamp(MICROSECOND) without a zone; TIMESTAMP WITH LOCAL TIME ZONE:
 *       Timestamp(MICROSECOND, "UTC");
 *   <li>anything else: Utf8, the value's SQL text.
 * </ul>
 */
public final class ArrowTypeMapping {
  public static final int MAX_DECIMAL_PRECISION = 38;

  private ArrowTypeMapping() {}

  public static Schema schema(List<ResultColumn> columns) {
    List<Field> fields = new ArrayList<>(columns.size());
    for (ResultColumn column : columns) {
      fields.add(field(column.name(), column.type()));
    }
    return new Schema(fields);
  }

  public static Field field(String name, RelDataType type) {
    return new Field(name, new FieldType(type.isNullable(), arrowType(type), null), null);
  }

  public static ArrowType arrowType(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case TINYINT -> new ArrowType.Int(8, true);
      case SMALLINT -> new ArrowType.Int(16, true);
      case INTEGER -> new ArrowType.Int(32, true);
      case BIGINT -> new ArrowType.Int(64, true);
      case REAL -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case FLOAT, DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case DECIMAL -> new ArrowType.Decimal(
          Math.min(Math.max(type.getPrecision(), 1), MAX_DECIMAL_PRECISION),
          Math.max(type.getScale(), 0),
          128);
      case CHAR, VARCHAR -> ArrowType.Utf8.INSTANCE;
      case BINARY, VARBINARY -> ArrowType.Binary.INSTANCE;
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case TIME -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      default -> ArrowType.Utf8.INSTANCE;
    };
  }
}
