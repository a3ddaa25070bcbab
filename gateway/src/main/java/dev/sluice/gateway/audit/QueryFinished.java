package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How one execution ended: {@code ok} (every row read), {@code failed}, {@code canceled} (stopped
 * or closed before its last row), {@code timeout} or {@code rejected} (refused by a concurrency
 * limit after its started record, with {@code stage} {@code admission}); the error, the rows and (when known) bytes
 * returned, its timings and, under a minimum group size, how many groups were folded into the
 * remainder group (when the rows read tell).
 */
public record QueryFinished(
    String queryId,
    String status,
    Optional<AuditError> error,
    long rows,
    OptionalLong bytes,
    Timings timings,
    OptionalLong foldedGroups,
    Optional<String> stage)
    implements AuditEvent {
  public static final String TYPE = "finished";
  public static final String REJECTED = "rejected";

  public QueryFinished {
    requireNonNull(queryId, "queryId is null");
    requireNonNull(status, "status is null");
    requireNonNull(error, "error is null");
    requireNonNull(bytes, "bytes is null");
    requireNonNull(timings, "timings is null");
    requireNonNull(foldedGroups, "foldedGroups is null");
    requireNonNull(stage, "stage is null");
  }

  /**
   * Milliseconds spent waiting for admission (empty until admission control reports it),
   * planning, executing (warehouse and streaming, until the result was closed) and in total.
   */
  public record Timings(Optional<Double> queueMs, double planningMs, double executionMs, double totalMs) {
    public Timings {
      requireNonNull(queueMs, "queueMs is null");
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void writeFields(ObjectNode record) {
    record.put("query_id", queryId);
    record.put("status", status);
    stage.ifPresent(value -> record.put("stage", value));
    AuditError.write(record, error);
    record.put("rows", rows);
    if (bytes.isPresent()) {
      record.put("bytes", bytes.getAsLong());
    } else {
      record.putNull("bytes");
    }
    writeTimings(record, timings);
    if (foldedGroups.isPresent()) {
      record.put("folded_groups", foldedGroups.getAsLong());
    } else {
      record.putNull("folded_groups");
    }
  }

  static void writeTimings(ObjectNode record, Timings timings) {
    ObjectNode times = record.putObject("timings");
    if (timings.queueMs().isPresent()) {
      times.put("queue_ms", AuditJson.millis(timings.queueMs().get()));
    } else {
      times.putNull("queue_ms");
    }
    times.put("planning_ms", AuditJson.millis(timings.planningMs()));
    times.put("execution_ms", AuditJson.millis(timings.executionMs()));
    times.put("total_ms", AuditJson.millis(timings.totalMs()));
  }
}
