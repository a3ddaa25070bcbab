package dev.sluice.gateway.testing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Puts query results from different paths (DuckDB, the Avatica driver, Arrow clients) in one
 * representation so they compare equal: numbers as plain decimal text (doubles to 12 digits),
 * timestamps truncated to milliseconds (Avatica's precision; Arrow keeps microseconds), dates as
 * ISO text.
 */
public final class ResultRows {
  private ResultRows() {}

  /** Ordered when the outermost query ends with ORDER BY (after the last closing parenthesis). */
  public static boolean isOrdered(String sql) {
    String upper = sql.toUpperCase(Locale.ROOT);
    return upper.substring(upper.lastIndexOf(')') + 1).contains("ORDER BY");
  }

  public static List<List<Object>> normalize(List<List<Object>> rows) {
    List<List<Object>> result = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      List<Object> normalized = new ArrayList<>(row.size());
      for (Object value : row) {
        normalized.add(normalize(value));
      }
      result.add(normalized);
    }
    return result;
  }

  /** One representation per value: numbers as BigDecimal (doubles to 12 digits), times to millis. */
  private static Object normalize(Object value) {
    if (value instanceof Double || value instanceof Float) {
      return new BigDecimal(((Number) value).doubleValue()).round(new MathContext(12)).stripTrailingZeros().toPlainString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().toPlainString();
    }
    if (value instanceof Number number) {
      return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toLocalDateTime().truncatedTo(ChronoUnit.MILLIS).toString();
    }
    if (value instanceof LocalDateTime timestamp) {
      return timestamp.truncatedTo(ChronoUnit.MILLIS).toString();
    }
    if (value instanceof Date date) {
      return date.toLocalDate().toString();
    }
    if (value instanceof LocalDate date) {
      return date.toString();
    }
    return value;
  }

  public static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }
}
