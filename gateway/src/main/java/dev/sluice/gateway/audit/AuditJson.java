package dev.sluice.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The JSON conventions of audit records, shared by the writer and the readers. */
final class AuditJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private AuditJson() {}

  static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  /** Milliseconds rounded to microseconds: enough for a point query, short to read. */
  static double millis(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }

  static Optional<String> text(JsonNode record, String field) {
    JsonNode value = record.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  static List<String> texts(JsonNode record, String field) {
    List<String> values = new ArrayList<>();
    JsonNode array = record.get(field);
    if (array != null && array.isArray()) {
      array.forEach(value -> values.add(value.asText()));
    }
    return values;
  }
}
