package dev.sluice.gateway.cli;

import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.audit.AuditQuery;
import dev.sluice.gateway.audit.AuditReader;
import dev.sluice.gateway.audit.QueryLogEntry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice audit search}: the queries matching a user, table, column, status and time range. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Find queries in the audit log (newest first), one per line: started and finished joined, or rejected.")
public final class AuditSearchCommand implements Callable<Integer> {
  private static final Pattern RELATIVE = Pattern.compile("([0-9]{1,9})\\s*(s|m|h|d)");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The audit directory (audit.directory).")
  Path directory;

  @Option(names = "--user", paramLabel = "USER", description = "Queries by this user.")
  String user;

  @Option(names = "--table", paramLabel = "TABLE", description = "Queries reading (or refused) this table: customers or cdp.customers.")
  String table;

  @Option(names = "--column", paramLabel = "COLUMN", description = "Queries reading (or refused) this column: email, customers.email or cdp.customers.email.")
  String column;

  @Option(names = "--status", paramLabel = "STATUS", description = "ok, failed, canceled, timeout, rejected or started.")
  String status;

  @Option(names = "--since", paramLabel = "WHEN", description = "Started at or after: an age (90s, 30m, 1h, 7d) or a time (2026-03-01T09:00:00Z, 2026-03-01).")
  String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "Started before: an age or a time, as for --since.")
  String until;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print each query as one JSON object per line.")
  boolean json;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    AuditQuery query = AuditQuery.recent().withLimit(Math.max(1, limit));
    query = user == null ? query : query.withUser(user);
    query = table == null ? query : query.withTable(table);
    query = column == null ? query : query.withColumn(column);
    query = status == null ? query : query.withStatus(status);
    query = since == null ? query : query.withSince(when(since, "--since"));
    query = until == null ? query : query.withUntil(when(until, "--until"));
    List<QueryLogEntry> entries;
    try {
      entries = new AuditReader(directory).search(query);
    } catch (GatewayException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 2;
    }
    for (QueryLogEntry entry : entries) {
      out.println(json ? entry.toJson() : AuditEntryFormat.line(entry));
    }
    out.flush();
    return 0;
  }

  private Instant when(String text, String option) {
    Matcher relative = RELATIVE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (relative.matches()) {
      long amount = Long.parseLong(relative.group(1));
      Duration age = switch (relative.group(2)) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
      return clock.instant().minus(age);
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException notAnInstant) {
      try {
        return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            option + ": expected an age such as 1h or 7d, or a time such as 2026-03-01T09:00:00Z, got '" + text + "'");
      }
    }
  }
}
