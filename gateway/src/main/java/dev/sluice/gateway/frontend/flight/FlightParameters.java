package dev.sluice.gateway.frontend.flight;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.arrow.ArrowValues;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;

/**
 * Reads the parameter values a client binds to a prepared statement (one row of an Arrow batch)
 * as the JDBC values the engine takes. Clients choose the Arrow types themselves (the Flight SQL
 * JDBC driver follows the parameter schema, pyarrow and ADBC follow their own values), so every
 * scalar type is accepted; the engine then converts each value to the type its parameter has.
 */
final class FlightParameters {
  private FlightParameters() {}

  static List<Object> read(VectorSchemaRoot root, int row) {
    List<Object> values = new ArrayList<>(root.getFieldVectors().size());
    for (FieldVector vector : root.getFieldVectors()) {
      values.add(jdbcValue(values.size(), vector, ArrowValues.read(vector, row)));
    }
    // Arrays.asList: a parameter may be NULL, which List.copyOf refuses.
    return Arrays.asList(values.toArray());
  }

  private static Object jdbcValue(int index, FieldVector vector, Object value) {
    if (value == null) {
      return null;
    }
    if (vector instanceof DateDayVector) {
      return Date.valueOf(LocalDate.ofEpochDay(((Number) value).longValue()));
    }
    if (vector instanceof DateMilliVector) {
      return Date.valueOf(((LocalDateTime) value).toLocalDate());
    }
    if (value instanceof Text text) {
      return text.toString();
    }
    if (value instanceof LocalDateTime timestamp) {
      return Timestamp.valueOf(timestamp);
    }
    if (value instanceof Instant instant) {
      return Timestamp.from(instant);
    }
    if (value instanceof LocalTime time) {
      return Time.valueOf(time);
    }
    if (value instanceof Number || value instanceof Boolean || value instanceof byte[]) {
      return value;
    }
    throw new GatewayException(
        ErrorCode.INVALID_PARAMETER,
        "Parameter " + (index + 1) + " has the Arrow type " + vector.getField().getType()
            + ", which cannot be bound to a SQL parameter");
  }
}
