package dev.sluice.gateway.engine;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Checks and converts bound parameter values. Clients bind JDBC values; pushdowns bind them as
 * JDBC values too, while Calcite's federated code wants its internal representation.
 */
final class Parameters {
  private Parameters() {}

  static void check(List<RelDataType> types, List<Object> values) {
    if (types.size() != values.size()) {
      throw new GatewayException(
          ErrorCode.INVALID_PARAMETER,
          "The query has " + types.size() + " parameter(s) but " + values.size() + " were bound");
    }
  }

  /** Converts JDBC values to the types the query declared, so the warehouse compares like with like. */
  static List<Object> jdbcValues(List<RelDataType> types, List<Object> values) {
    List<Object> converted = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      converted.add(jdbcValue(i, types.get(i), values.get(i)));
    }
    return converted;
  }

  static Object jdbcValue(int index, RelDataType type, Object value) {
    if (value == null) {
      return null;
    }
    try {
      return switch (type.getSqlTypeName()) {
        case TINYINT, SMALLINT, INTEGER -> number(value).intValue();
        case BIGINT -> number(value).longValue();
        case REAL -> number(value).floatValue();
        case FLOAT, DOUBLE -> number(value).doubleValue();
        case DECIMAL -> value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
        case BOOLEAN -> bool(value);
        case CHAR, VARCHAR -> value.toString();
        case DATE -> date(value);
        case TIME -> value instanceof Time t ? t : Time.valueOf(LocalTime.parse(value.toString()));
        case TIMESTAMP -> timestamp(value);
        default -> value;
      };
    } catch (RuntimeException e) {
      throw new GatewayException(
          ErrorCode.INVALID_PARAMETER,
          "Parameter " + (index + 1) + " cannot be used as " + type.getFullTypeString() + ": '" + value + "'",
          e);
    }
  }

  /** Calcite's internal representation (epoch millis for timestamps, epoch days for dates). */
  static Object internalValue(RelDataType type, Object jdbcValue) {
    if (jdbcValue == null) {
      return null;
    }
    return switch (type.getSqlTypeName()) {
      case DATE -> (int) ((Date) jdbcValue).toLocalDate().toEpochDay();
      case TIME -> (int) (((Time) jdbcValue).toLocalTime().toNanoOfDay() / 1_000_000L);
      case TIMESTAMP -> ((Timestamp) jdbcValue).toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
      default -> jdbcValue;
    };
  }

  private static Number number(Object value) {
    if (value instanceof Number n) {
      return n;
    }
    return new BigDecimal(value.toString().trim());
  }

  // Boolean.parseBoolean would read "yes" or "1" as false: only true and false are accepted.
  private static Boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.valueOf(text);
    }
    throw new IllegalArgumentException("not true or false");
  }

  private static Date date(Object value) {
    if (value instanceof Date d) {
      return d;
    }
    if (value instanceof java.util.Date d) {
      return new Date(d.getTime());
    }
    return Date.valueOf(LocalDate.parse(value.toString().trim()));
  }

  private static Timestamp timestamp(Object value) {
    if (value instanceof Timestamp t) {
      return t;
    }
    if (value instanceof java.util.Date d) {
      return new Timestamp(d.getTime());
    }
    return Timestamp.valueOf(LocalDateTime.parse(value.toString().trim().replace(' ', 'T')));
  }
}
