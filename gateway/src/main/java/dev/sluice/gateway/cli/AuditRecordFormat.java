package dev.sluice.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;

/** One audit record (a JSON line) as one readable line; lines that are not records are shown as they are. */
final class AuditRecordFormat {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SQL_WIDTH = 160;

  private AuditRecordFormat() {}

  static String line(String json) {
    JsonNode record;
    try {
      record = JSON.readTree(json);
    } catch (IOException e) {
      return "(not a record) " + json;
    }
    if (record == null || !record.isObject()) {
      return "(not a record) " + json;
    }
    String type = record.path("type").asText();
    StringBuilder line = new StringBuilder()
        .append(record.path("time").asText()).append("  #").append(record.path("seq").asText())
        .append("  ").append(String.format(Locale.ROOT, "%-9s", type));
    switch (type) {
      case "started" -> line.append(" ").append(text(record, "user")).append("  ").append(id(record))
          .append("  ").append(text(record, "protocol"))
          .append(record.path("masks").isEmpty() ? "" : "  masks=" + record.path("masks").size())
          .append("  ").append(sql(record));
      case "finished" -> line.append(" ").append(id(record)).append("  ").append(record.path("status").asText())
          .append(record.hasNonNull("stage") ? " (" + record.get("stage").asText() + ")" : "")
          .append("  rows=").append(record.path("rows").asText())
          .append("  ").append(record.path("timings").path("total_ms").asText()).append("ms")
          .append(error(record));
      case "rejected" -> line.append(" ").append(record.path("stage").asText()).append("  ")
          .append(record.hasNonNull("user") ? text(record, "user") : "?")
          .append("  ").append(text(record, "client_address")).append(error(record))
          .append(record.path("denied").isEmpty() ? "" : "  denied=" + record.path("denied"))
          .append("  ").append(sql(record));
      case "file" -> line.append(" ").append(String.format("audit-%08d.jsonl", record.path("file").asLong()))
          .append(" (").append(record.path("reason").asText()).append(")");
      case "retention" -> line.append(" removed ").append(record.path("removed"));
      default -> line.append(" ").append(json);
    }
    return line.toString().stripTrailing();
  }

  private static String id(JsonNode record) {
    String id = record.path("query_id").asText();
    return id.substring(0, Math.min(8, id.length()));
  }

  private static String text(JsonNode record, String field) {
    return record.hasNonNull(field) ? record.get(field).asText() : "-";
  }

  private static String error(JsonNode record) {
    JsonNode error = record.path("error");
    if (!error.isObject()) {
      return "";
    }
    return "  " + error.path("sql_state").asText() + " "
        + (error.hasNonNull("message") ? error.get("message").asText() : error.path("code").asText());
  }

  private static String sql(JsonNode record) {
    if (!record.hasNonNull("sql")) {
      return "";
    }
    String sql = record.get("sql").asText().replaceAll("\\s+", " ").strip();
    return sql.length() <= SQL_WIDTH ? sql : sql.substring(0, SQL_WIDTH - 3) + "...";
  }
}
