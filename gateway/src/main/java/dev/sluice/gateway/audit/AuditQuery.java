package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which queries to find in the audit log: by user, by a table or column read (or refused as
 * hidden), by status, by start time ({@code since} inclusive, {@code until} exclusive) or by id;
 * at most {@code limit} of them, newest first. Every criterion is optional.
 *
 * <p>A table is written {@code customers} or {@code cdp.customers}; a column {@code email},
 * {@code customers.email} or {@code cdp.customers.email}. Names match case-insensitively.
 */
public record AuditQuery(
    Optional<String> user,
    Optional<String> table,
    Optional<String> column,
    Optional<String> status,
    Optional<Instant> since,
    Optional<Instant> until,
    Optional<String> queryId,
    int limit) {
  public static final int DEFAULT_LIMIT = 100;

  public AuditQuery {
    requireNonNull(user, "user is null");
    requireNonNull(table, "table is null");
    requireNonNull(column, "column is null");
    requireNonNull(status, "status is null");
    requireNonNull(since, "since is null");
    requireNonNull(until, "until is null");
    requireNonNull(queryId, "queryId is null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
  }

  /** Every query, the newest {@link #DEFAULT_LIMIT}. */
  public static AuditQuery recent() {
    return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_LIMIT);
  }

  public AuditQuery withUser(String newUser) {
    return new AuditQuery(Optional.of(newUser), table, column, status, since, until, queryId, limit);
  }

  public AuditQuery withTable(String newTable) {
    return new AuditQuery(user, Optional.of(newTable), column, status, since, until, queryId, limit);
  }

  public AuditQuery withColumn(String newColumn) {
    return new AuditQuery(user, table, Optional.of(newColumn), status, since, until, queryId, limit);
  }

  public AuditQuery withStatus(String newStatus) {
    return new AuditQuery(user, table, column, Optional.of(newStatus), since, until, queryId, limit);
  }

  public AuditQuery withSince(Instant newSince) {
    return new AuditQuery(user, table, column, status, Optional.of(newSince), until, queryId, limit);
  }

  public AuditQuery withUntil(Instant newUntil) {
    return new AuditQuery(user, table, column, status, since, Optional.of(newUntil), queryId, limit);
  }

  public AuditQuery withQueryId(String newQueryId) {
    return new AuditQuery(user, table, column, status, since, until, Optional.of(newQueryId), limit);
  }

  public AuditQuery withLimit(int newLimit) {
    return new AuditQuery(user, table, column, status, since, until, queryId, newLimit);
  }

  public boolean matches(QueryLogEntry entry) {
    requireNonNull(entry, "entry is null");
    return user.map(u -> entry.user().map(u::equalsIgnoreCase).orElse(false)).orElse(true)
        && status.map(s -> s.equalsIgnoreCase(entry.status())).orElse(true)
        && queryId.map(id -> id.equalsIgnoreCase(entry.queryId())).orElse(true)
        && since.map(s -> !entry.startedAt().isBefore(s)).orElse(true)
        && until.map(u -> entry.startedAt().isBefore(u)).orElse(true)
        && table.map(t -> names(entry, false).anyMatch(name -> named(name, t, 2))).orElse(true)
        && column.map(c -> names(entry, true).anyMatch(name -> named(name, c, 3))).orElse(true);
  }

  /** The tables (or columns) an entry read, and the hidden names it was refused for. */
  private static Stream<String> names(QueryLogEntry entry, boolean columns) {
    List<String> read = columns ? entry.access().columns() : entry.access().tables();
    Stream<String> denied = entry.denied().stream()
        .filter(name -> name.split("\\.").length == (columns ? 3 : 2));
    return Stream.concat(read.stream(), denied);
  }

  /** Whether qualified {@code name} (with {@code parts} parts) ends with the parts of {@code wanted}. */
  private static boolean named(String name, String wanted, int parts) {
    String[] have = name.toLowerCase(Locale.ROOT).split("\\.");
    String[] want = wanted.toLowerCase(Locale.ROOT).split("\\.");
    if (have.length != parts || want.length > parts) {
      return false;
    }
    for (int i = 1; i <= want.length; i++) {
      if (!have[have.length - i].equals(want[want.length - i])) {
        return false;
      }
    }
    return true;
  }
}
