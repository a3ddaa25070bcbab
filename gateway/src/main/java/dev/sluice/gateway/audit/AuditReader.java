package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.AccessSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;

/**
 * Reads the audit log as queries ({@link QueryLogEntry}): each started record joined with its
 * finished record, each rejected record alone. It reads files while the gateway appends to them
 * (only complete lines count) and skips records it cannot parse: checking the log's integrity is
 * {@link AuditVerifier}'s job. Files wholly before {@code since} are not read, and files are read
 * a line at a time: memory holds only queries waiting for their finished record.
 */
public final class AuditReader {
  private final Path directory;

  public AuditReader(Path directory) {
    this.directory = requireNonNull(directory, "directory is null").toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  /** The queries {@code query} matches, newest first, at most {@code query.limit()}. */
  public List<QueryLogEntry> search(AuditQuery query) {
    requireNonNull(query, "query is null");
    // Keeps the newest matches only: a search over a long log holds at most limit of them.
    PriorityQueue<QueryLogEntry> newest = new PriorityQueue<>(Comparator.comparingLong(QueryLogEntry::seq));
    try (AuditEntries entries = open(query.since(), query.until(), query.user())) {
      while (entries.hasNext()) {
        QueryLogEntry entry = entries.next();
        if (query.matches(entry)) {
          newest.add(entry);
          if (newest.size() > query.limit()) {
            newest.poll();
          }
        }
      }
    }
    List<QueryLogEntry> result = new ArrayList<>(newest);
    result.sort(Comparator.comparingLong(QueryLogEntry::seq).reversed());
    return List.copyOf(result);
  }

  /**
   * The queries that started (or were rejected) at or after {@code since} and before {@code
   * until}, by {@code user} when given, in the order of their started or rejected records.
   */
  public List<QueryLogEntry> entries(Optional<Instant> since, Optional<Instant> until, Optional<String> user) {
    List<QueryLogEntry> entries = new ArrayList<>();
    try (AuditEntries all = open(since, until, user)) {
      all.forEachRemaining(entries::add);
    }
    entries.sort(Comparator.comparingLong(QueryLogEntry::seq));
    return entries;
  }

  /**
   * The same queries, read as they are iterated: each as soon as its finished record is read (so
   * not in start order), queries without one at the end. Close it when done.
   */
  AuditEntries open(Optional<Instant> since, Optional<Instant> until, Optional<String> user) {
    List<Path> files;
    try {
      files = AuditFiles.list(directory);
    } catch (IOException e) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "Cannot list the audit log in " + directory, e);
    }
    return new AuditEntries(files.subList(firstFile(files, since), files.size()), since, until, user);
  }

  /**
   * The first file that can hold records from {@code since} on: each file's records are no older
   * than its first record, so a file followed by one that starts before {@code since} is skipped.
   */
  private static int firstFile(List<Path> files, Optional<Instant> since) {
    if (since.isEmpty()) {
      return 0;
    }
    for (int i = files.size() - 1; i > 0; i--) {
      Optional<Instant> start = firstRecordTime(files.get(i));
      if (start.isPresent() && !start.get().isAfter(since.get())) {
        return i;
      }
    }
    return 0;
  }

  private static Optional<Instant> firstRecordTime(Path file) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String first = in.readLine();
      JsonNode record = first == null ? null : parse(first.getBytes(StandardCharsets.UTF_8));
      return record == null ? Optional.empty() : time(record);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static JsonNode parse(byte[] line) {
    try {
      JsonNode record = AuditJson.MAPPER.readTree(line);
      return record != null && record.isObject() ? record : null;
    } catch (IOException e) {
      return null;
    }
  }

  static Optional<Instant> time(JsonNode record) {
    try {
      return AuditJson.text(record, "time").map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A started or rejected record, and the finished record once it is read. */
  static final class Builder {
    final JsonNode record;
    final Instant time;
    JsonNode finished;

    Builder(JsonNode record, Instant time) {
      this.record = record;
      this.time = time;
    }

    QueryLogEntry build() {
      boolean rejected = record.path("type").asText().equals(QueryRejected.TYPE);
      String status = rejected
          ? QueryLogEntry.REJECTED
          : finished == null ? QueryLogEntry.STARTED : finished.path("status").asText();
      Optional<JsonNode> error = Optional.ofNullable(rejected ? record.get("error") : finished == null ? null : finished.get("error"))
          .filter(JsonNode::isObject);
      return new QueryLogEntry(
          record.path("seq").asLong(),
          record.path("query_id").asText(),
          status,
          time,
          Optional.ofNullable(finished).flatMap(AuditReader::time),
          rejected ? AuditJson.text(record, "stage") : Optional.ofNullable(finished).flatMap(f -> AuditJson.text(f, "stage")),
          caller(record),
          AuditJson.text(record, "unknown_user_sha256"),
          AuditJson.text(record, "sql"),
          record.path("sql_redacted").asBoolean(false),
          AuditJson.text(record, "sql_hash"),
          access(record),
          AuditJson.texts(record, "denied"),
          pushdowns(record),
          error.map(node -> new AuditError(
              node.path("code").asText(), node.path("sql_state").asText(), AuditJson.text(node, "message"))),
          finished == null ? OptionalLong.empty() : OptionalLong.of(finished.path("rows").asLong()),
          finished == null || !finished.path("bytes").canConvertToLong()
              ? OptionalLong.empty()
              : OptionalLong.of(finished.path("bytes").asLong()),
          Optional.ofNullable(finished).map(f -> timings(f.path("timings"))),
          record.path("min_group_size").canConvertToInt()
              ? java.util.OptionalInt.of(record.path("min_group_size").asInt())
              : java.util.OptionalInt.empty(),
          finished == null || !finished.path("folded_groups").canConvertToLong()
              ? OptionalLong.empty()
              : OptionalLong.of(finished.path("folded_groups").asLong()));
    }

    private static Caller caller(JsonNode record) {
      return new Caller(
          AuditJson.text(record, "user"),
          AuditJson.texts(record, "roles"),
          AuditJson.text(record, "protocol"),
          AuditJson.text(record, "client_address"),
          AuditJson.text(record, "client_application"),
          AuditJson.text(record, "purpose"));
    }

    private static AccessSummary access(JsonNode record) {
      List<AccessSummary.AppliedMask> masks = new ArrayList<>();
      record.path("masks").forEach(mask -> masks.add(new AccessSummary.AppliedMask(
          mask.path("table").asText(), mask.path("column").asText(), mask.path("mask").asText())));
      List<AccessSummary.AppliedFilter> filters = new ArrayList<>();
      record.path("row_filters").forEach(filter -> filters.add(
          new AccessSummary.AppliedFilter(filter.path("table").asText(), filter.path("sql").asText())));
      return new AccessSummary(AuditJson.texts(record, "tables"), AuditJson.texts(record, "columns"), masks, filters);
    }

    private static List<QueryStarted.PushdownSql> pushdowns(JsonNode record) {
      List<QueryStarted.PushdownSql> pushdowns = new ArrayList<>();
      record.path("pushdowns").forEach(pushdown -> pushdowns.add(new QueryStarted.PushdownSql(
          pushdown.path("warehouse").asText(), AuditJson.text(pushdown, "sql"))));
      return pushdowns;
    }

    private static QueryFinished.Timings timings(JsonNode timings) {
      return new QueryFinished.Timings(
          timings.path("queue_ms").isNumber() ? Optional.of(timings.path("queue_ms").asDouble()) : Optional.empty(),
          timings.path("planning_ms").asDouble(),
          timings.path("execution_ms").asDouble(),
          timings.path("total_ms").asDouble());
    }
  }
}
