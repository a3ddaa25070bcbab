package dev.sluice.gateway.cli;

import dev.sluice.gateway.audit.QueryLogEntry;
import java.util.Locale;
import java.util.stream.Collectors;

/** One audit entry on one line, for people reading a terminal. */
final class AuditEntryFormat {
  private static final int SQL_WIDTH = 160;

  private AuditEntryFormat() {}

  static String line(QueryLogEntry entry) {
    StringBuilder line = new StringBuilder();
    line.append(entry.startedAt()).append("  ");
    line.append(entry.user().orElse(entry.unknownUserSha256().map(hash -> "?" + hash.substring(0, 12)).orElse("-")));
    line.append("  ").append(entry.status().toUpperCase(Locale.ROOT));
    entry.stage().ifPresent(stage -> line.append("(").append(stage).append(")"));
    line.append("  ").append(entry.queryId(), 0, Math.min(8, entry.queryId().length()));
    entry.caller().protocol().ifPresent(protocol -> line.append("  ").append(protocol));
    entry.caller().purpose().ifPresent(purpose -> line.append("  purpose=").append(purpose));
    entry.rows().ifPresent(rows -> line.append("  rows=").append(rows));
    entry.timings().ifPresent(t -> line.append(String.format(Locale.ROOT, "  %.1fms", t.totalMs())));
    if (!entry.access().masks().isEmpty()) {
      line.append("  masks=").append(entry.access().masks().stream()
          .map(mask -> mask.column() + ":" + mask.mask()).collect(Collectors.joining(",")));
    }
    if (!entry.denied().isEmpty()) {
      line.append("  denied=").append(String.join(",", entry.denied()));
    }
    entry.error().ifPresent(error -> line.append("  ").append(error.sqlState()).append(" ")
        .append(error.message().map(AuditEntryFormat::oneLine).orElse(error.code())));
    entry.sql().ifPresent(sql -> line.append("  ").append(shortened(oneLine(sql))));
    return line.toString();
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  private static String shortened(String text) {
    return text.length() <= SQL_WIDTH ? text : text.substring(0, SQL_WIDTH - 3) + "...";
  }
}
