package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.gateway.engine.AccessSummary;
import java.util.List;
import java.util.Optional;

/**
 * The write-ahead record of one execution, durable before any warehouse sees its SQL: who runs it
 * from where, the SQL as received (or with its literals replaced by {@code ?}) and its SHA-256,
 * what it reads with which masks and row filters, the minimum group size it is held to (for an
 * aggregation-only caller) and the SQL each warehouse is sent.
 */
public record QueryStarted(
    String queryId,
    Caller caller,
    Optional<String> sql,
    boolean sqlRedacted,
    String sqlHash,
    AccessSummary access,
    List<PushdownSql> pushdowns,
    java.util.OptionalInt minGroupSize) implements AuditEvent {
  public static final String TYPE = "started";

  public QueryStarted {
    requireNonNull(queryId, "queryId is null");
    requireNonNull(caller, "caller is null");
    requireNonNull(sql, "sql is null");
    requireNonNull(sqlHash, "sqlHash is null");
    requireNonNull(access, "access is null");
    pushdowns = List.copyOf(requireNonNull(pushdowns, "pushdowns is null"));
    requireNonNull(minGroupSize, "minGroupSize is null");
  }

  /** The SQL one warehouse runs for the query; empty when literal redaction could not parse it. */
  public record PushdownSql(String warehouse, Optional<String> sql) {
    public PushdownSql {
      requireNonNull(warehouse, "warehouse is null");
      requireNonNull(sql, "sql is null");
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void writeFields(ObjectNode record) {
    record.put("query_id", queryId);
    caller.writeFields(record);
    record.put("sql", sql.orElse(null));
    record.put("sql_redacted", sqlRedacted);
    record.put("sql_hash", sqlHash);
    writeAccess(record);
    // Only refused queries name hidden tables or columns; one that runs never does.
    record.putArray("denied");
    if (minGroupSize.isPresent()) {
      record.put("min_group_size", minGroupSize.getAsInt());
    } else {
      record.putNull("min_group_size");
    }
  }

  /** What the query reads, with which masks and filters, and the SQL sent to each warehouse. */
  void writeAccess(ObjectNode record) {
    AuditJson.strings(record.putArray("tables"), access.tables());
    AuditJson.strings(record.putArray("columns"), access.columns());
    ArrayNode masks = record.putArray("masks");
    for (AccessSummary.AppliedMask mask : access.masks()) {
      masks.addObject().put("table", mask.table()).put("column", mask.column()).put("mask", mask.mask());
    }
    ArrayNode filters = record.putArray("row_filters");
    for (AccessSummary.AppliedFilter filter : access.rowFilters()) {
      filters.addObject().put("table", filter.table()).put("sql", filter.sql());
    }
    ArrayNode sent = record.putArray("pushdowns");
    for (PushdownSql pushdown : pushdowns) {
      sent.addObject().put("warehouse", pushdown.warehouse()).put("sql", pushdown.sql().orElse(null));
    }
  }
}
