package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters of {@code GET /audit/api/queries}, validated: a user, a table ({@code customers} or
 * {@code cdp.customers}), a column ({@code email}, {@code customers.email} or {@code
 * cdp.customers.email}), a status, a start-time range ({@code since} inclusive, {@code until}
 * exclusive) and a limit. Every one is optional; an invalid one is a clear {@code
 * INVALID_PARAMETER} error, never a silently ignored filter.
 */
record AuditPageFilters(
    Optional<String> user,
    Optional<String> table,
    Optional<String> column,
    Optional<String> status,
    Optional<Instant> since,
    Optional<Instant> until,
    int limit) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final Set<String> STATUSES = Set.of("ok", "failed", "canceled", "timeout", "rejected", "started");

  private static final Set<String> PARAMETERS = Set.of("user", "table", "column", "status", "since", "until", "limit");
  private static final Pattern NAME_PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
  private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");

  AuditPageFilters {
    requireNonNull(user, "user is null");
    requireNonNull(table, "table is null");
    requireNonNull(column, "column is null");
    requireNonNull(status, "status is null");
    requireNonNull(since, "since is null");
    requireNonNull(until, "until is null");
  }

  /**
   * Reads the query string; empty values count as absent, as an HTML form sends them. Times are an
   * ISO instant ({@code 2026-03-01T09:00:00Z}), a date (midnight UTC) or an age ({@code 90s},
   * {@code 30m}, {@code 1h}, {@code 7d}) before {@code clock}'s now.
   */
  static AuditPageFilters parse(Map<String, List<String>> parameters, Clock clock) {
    requireNonNull(parameters, "parameters is null");
    requireNonNull(clock, "clock is null");
    for (String name : parameters.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw invalid("Unknown filter '" + name + "' (expected user, table, column, status, since, until, limit)");
      }
    }
    Optional<String> user = single(parameters, "user");
    Optional<String> table = single(parameters, "table").map(name -> qualifiedName(name, 2, "table"));
    Optional<String> column = single(parameters, "column").map(name -> qualifiedName(name, 3, "column"));
    Optional<String> status = single(parameters, "status").map(AuditPageFilters::status);
    Optional<Instant> since = single(parameters, "since").map(text -> time(text, "since", clock));
    Optional<Instant> until = single(parameters, "until").map(text -> time(text, "until", clock));
    if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
      throw invalid("'since' (" + since.get() + ") must be before 'until' (" + until.get() + ")");
    }
    int limit = single(parameters, "limit").map(AuditPageFilters::limit).orElse(DEFAULT_LIMIT);
    return new AuditPageFilters(user, table, column, status, since, until, limit);
  }

  private static Optional<String> single(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw invalid("Filter '" + name + "' given " + values.size() + " times; give it once");
    }
    return values.stream().map(String::trim).filter(value -> !value.isEmpty()).findFirst();
  }

  // Names are matched inside the log's JSON lists with LIKE, so only plain identifiers are accepted:
  // no quotes, wildcards or JSON syntax can reach the pattern.
  private static String qualifiedName(String name, int maxParts, String what) {
    String[] parts = name.split("\\.", -1);
    if (parts.length > maxParts) {
      throw invalid("A " + what + " has at most " + maxParts + " dot-separated parts, got '" + name + "'");
    }
    for (String part : parts) {
      if (!NAME_PART.matcher(part).matches()) {
        throw invalid("Not a " + what + " name: '" + name + "' (letters, digits and _ separated by dots)");
      }
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private static String status(String text) {
    String status = text.toLowerCase(Locale.ROOT);
    if (!STATUSES.contains(status)) {
      throw invalid("Unknown status '" + text + "' (expected one of ok, failed, canceled, timeout, rejected, started)");
    }
    return status;
  }

  private static Instant time(String text, String name, Clock clock) {
    Matcher age = AGE.matcher(text.toLowerCase(Locale.ROOT));
    if (age.matches()) {
      long amount = Long.parseLong(age.group(1));
      Duration duration = switch (age.group(2)) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
      return clock.instant().minus(duration);
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        throw invalid("'" + name + "' must be a time such as 2026-03-01T09:00:00Z, a date such as 2026-03-01,"
            + " or an age such as 30m, 1h or 7d; got '" + text + "'");
      }
    }
  }

  private static int limit(String text) {
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // Reported below with the allowed range.
    }
    throw invalid("'limit' must be a whole number from 1 to " + MAX_LIMIT + ", got '" + text + "'");
  }

  private static GatewayException invalid(String message) {
    return new GatewayException(ErrorCode.INVALID_PARAMETER, message);
  }
}
