package dev.sluice.gateway.engine;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.calcite.rel.type.RelDataType;

/** Reads one column of a warehouse result set into the representation described in {@link QueryCursor}. */
@FunctionalInterface
interface ColumnReader {
  Object read(ResultSet resultSet, int index) throws SQLException;

  static ColumnReader forType(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case BOOLEAN -> (rs, i) -> nullable(rs, rs.getBoolean(i));
      case TINYINT -> (rs, i) -> nullable(rs, rs.getByte(i));
      case SMALLINT -> (rs, i) -> nullable(rs, rs.getShort(i));
      case INTEGER -> (rs, i) -> nullable(rs, rs.getInt(i));
      case BIGINT -> (rs, i) -> nullable(rs, rs.getLong(i));
      case REAL -> (rs, i) -> nullable(rs, rs.getFloat(i));
      case FLOAT, DOUBLE -> (rs, i) -> nullable(rs, rs.getDouble(i));
      case DECIMAL -> ResultSet::getBigDecimal;
      case CHAR, VARCHAR -> ResultSet::getString;
      case BINARY, VARBINARY -> ResultSet::getBytes;
      case DATE -> (rs, i) -> {
        LocalDate date = rs.getObject(i, LocalDate.class);
        return date == null ? null : (int) date.toEpochDay();
      };
      case TIME -> (rs, i) -> {
        LocalTime time = rs.getObject(i, LocalTime.class);
        return time == null ? null : (int) (time.toNanoOfDay() / 1_000_000L);
      };
      case TIMESTAMP -> (rs, i) -> {
        LocalDateTime timestamp = rs.getObject(i, LocalDateTime.class);
        return timestamp == null ? null : timestamp.toInstant(ZoneOffset.UTC).toEpochMilli();
      };
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> (rs, i) -> {
        OffsetDateTime timestamp = rs.getObject(i, OffsetDateTime.class);
        return timestamp == null ? null : timestamp.toInstant().toEpochMilli();
      };
      default -> (rs, i) -> {
        Object value = rs.getObject(i);
        return value == null ? null : value.toString();
      };
    };
  }

  /**
   * Like {@link #forType} but with date and time values as {@code java.time} objects, which keep
   * the microseconds Arrow carries and the engine's row representation drops.
   */
  static ColumnReader precise(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case DATE -> (rs, i) -> rs.getObject(i, LocalDate.class);
      case TIME -> (rs, i) -> rs.getObject(i, LocalTime.class);
      case TIMESTAMP -> (rs, i) -> rs.getObject(i, LocalDateTime.class);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> (rs, i) -> rs.getObject(i, OffsetDateTime.class);
      default -> forType(type);
    };
  }

  private static Object nullable(ResultSet resultSet, Object value) throws SQLException {
    return resultSet.wasNull() ? null : value;
  }
}
