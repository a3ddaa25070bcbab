package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.AccessSummary;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One query as the audit log tells it: its started record joined with its finished record, or a
 * rejected record alone. {@code status} is {@code ok}, {@code failed}, {@code canceled}, {@code
 * timeout}, {@code rejected}, or {@code started} when no finished record exists (still running,
 * or the gateway stopped before it finished). {@code startedAt} is when it was rejected for a
 * rejected one; {@code stage} is only set for those.
 */
public record QueryLogEntry(
    long seq,
    String queryId,
    String status,
    Instant startedAt,
    Optional<Instant> finishedAt,
    Optional<String> stage,
    Caller caller,
    Optional<String> unknownUserSha256,
    Optional<String> sql,
    boolean sqlRedacted,
    Optional<String> sqlHash,
    AccessSummary access,
    List<String> denied,
    List<QueryStarted.PushdownSql> pushdowns,
    Optional<AuditError> error,
    OptionalLong rows,
    OptionalLong bytes,
    Optional<QueryFinished.Timings> timings,
    java.util.OptionalInt minGroupSize,
    OptionalLong foldedGroups) {
  public static final String STARTED = "started";
  public static final String REJECTED = "rejected";

  public QueryLogEntry {
    requireNonNull(queryId, "queryId is null");
    requireNonNull(status, "status is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(caller, "caller is null");
    requireNonNull(unknownUserSha256, "unknownUserSha256 is null");
    requireNonNull(sql, "sql is null");
    requireNonNull(sqlHash, "sqlHash is null");
    requireNonNull(access, "access is null");
    denied = List.copyOf(requireNonNull(denied, "denied is null"));
    pushdowns = List.copyOf(requireNonNull(pushdowns, "pushdowns is null"));
    requireNonNull(error, "error is null");
    requireNonNull(rows, "rows is null");
    requireNonNull(bytes, "bytes is null");
    requireNonNull(timings, "timings is null");
    requireNonNull(minGroupSize, "minGroupSize is null");
    requireNonNull(foldedGroups, "foldedGroups is null");
  }

  public Optional<String> user() {
    return caller.user();
  }

  /** This entry as one JSON object, with the field names of the audit records and of audit.query_log. */
  public String toJson() {
    ObjectNode node = AuditJson.MAPPER.createObjectNode();
    node.put("seq", seq);
    node.put("query_id", queryId);
    node.put("status", status);
    node.put("started_at", startedAt.toString());
    node.put("finished_at", finishedAt.map(Instant::toString).orElse(null));
    node.put("stage", stage.orElse(null));
    caller.writeFields(node);
    unknownUserSha256.ifPresent(hash -> node.put("unknown_user_sha256", hash));
    node.put("sql", sql.orElse(null));
    node.put("sql_redacted", sqlRedacted);
    node.put("sql_hash", sqlHash.orElse(null));
    new QueryStarted(queryId, caller, sql, sqlRedacted, sqlHash.orElse(""), access, pushdowns, minGroupSize)
        .writeAccess(node);
    AuditJson.strings(node.putArray("denied"), denied);
    AuditError.write(node, error);
    if (rows.isPresent()) {
      node.put("rows", rows.getAsLong());
    }
    if (bytes.isPresent()) {
      node.put("bytes", bytes.getAsLong());
    }
    timings.ifPresent(t -> QueryFinished.writeTimings(node, t));
    if (minGroupSize.isPresent()) {
      node.put("min_group_size", minGroupSize.getAsInt());
    }
    if (foldedGroups.isPresent()) {
      node.put("folded_groups", foldedGroups.getAsLong());
    }
    try {
      return AuditJson.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "Cannot render an audit entry", e);
    }
  }
}
