package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The SQL the audit page runs on {@code audit.query_log}, as any auditor could through JDBC: fixed
 * text chosen by which filters are set, every filter value a parameter. Running it through the
 * engine means the policies decide who may read it and the read is audited like any other.
 */
record AuditPageSql(String sql, List<Object> parameters) {
  /** The columns of the list: enough for one line per query. */
  static final String LIST_COLUMNS =
      "query_id, status, started_at, finished_at, user_name, roles, protocol, tables_read, sql_text, error_code";

  /** Every column of the table, for one query's detail. */
  static final String DETAIL_COLUMNS =
      "seq, query_id, status, started_at, finished_at, user_name, roles, protocol, client_address,"
          + " client_application, purpose, stage, sql_text, sql_hash, tables_read, columns_read, masks, row_filters,"
          + " denied, pushdowns, error_code, sql_state, error_message, rows_returned, bytes_returned, queue_ms,"
          + " planning_ms, execution_ms, total_ms, min_group_size, folded_groups";

  // Lists are JSON text such as ["cdp.customers"]; matching a name up to its closing quote keeps
  // "customers" from matching "customers_archive". Refused hidden names count too, as in
  // AuditQuery: an attempt to read a column is as interesting to an auditor as a read.
  private static final String TABLE_CONDITION =
      "(LOWER(tables_read) LIKE ? ESCAPE '\\' OR LOWER(denied) LIKE ? ESCAPE '\\')";
  private static final String COLUMN_CONDITION =
      "(LOWER(columns_read) LIKE ? ESCAPE '\\' OR LOWER(denied) LIKE ? ESCAPE '\\')";

  AuditPageSql {
    requireNonNull(sql, "sql is null");
    // Not List.copyOf: the engine's parameter list allows nulls, and these never hold one anyway.
    parameters = Collections.unmodifiableList(new ArrayList<>(requireNonNull(parameters, "parameters is null")));
  }

  /** The newest queries matching {@code filters}, newest first. */
  static AuditPageSql list(AuditPageFilters filters) {
    requireNonNull(filters, "filters is null");
    List<String> conditions = new ArrayList<>();
    List<Object> parameters = new ArrayList<>();
    // user_name and started_at are written as plain comparisons so the reader can skip files by them.
    filters.user().ifPresent(user -> {
      conditions.add("user_name = ?");
      parameters.add(user);
    });
    filters.since().ifPresent(since -> {
      conditions.add("started_at >= ?");
      parameters.add(timestamp(since));
    });
    filters.until().ifPresent(until -> {
      conditions.add("started_at < ?");
      parameters.add(timestamp(until));
    });
    filters.status().ifPresent(status -> {
      conditions.add("status = ?");
      parameters.add(status);
    });
    filters.table().ifPresent(table -> {
      conditions.add(TABLE_CONDITION);
      parameters.add(namePattern(table, 2));
      parameters.add(namePattern(table, 2));
    });
    filters.column().ifPresent(column -> {
      conditions.add(COLUMN_CONDITION);
      parameters.add(namePattern(column, 3));
      parameters.add(namePattern(column, 3));
    });
    StringBuilder sql = new StringBuilder("SELECT ").append(LIST_COLUMNS).append(" FROM audit.query_log");
    if (!conditions.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", conditions));
    }
    sql.append(" ORDER BY started_at DESC, seq DESC LIMIT ?");
    parameters.add(filters.limit());
    return new AuditPageSql(sql.toString(), parameters);
  }

  /** One query by its id. */
  static AuditPageSql detail(String queryId) {
    requireNonNull(queryId, "queryId is null");
    return new AuditPageSql("SELECT " + DETAIL_COLUMNS + " FROM audit.query_log WHERE query_id = ?", List.of(queryId));
  }

  /**
   * A LIKE pattern for a name with {@code parts} parts written with fewer or as many: a fully
   * qualified one matches the whole JSON string, a shorter one its last parts after a dot.
   * {@link AuditPageFilters} allows only letters, digits, {@code _} and {@code $} in names, so
   * {@code _} is the only character to escape.
   */
  static String namePattern(String name, int parts) {
    String escaped = name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
    boolean qualified = name.split("\\.").length == parts;
    return (qualified ? "%\"" : "%.") + escaped + "\"%";
  }

  // The engine takes TIMESTAMP parameters as wall-clock times; the audit table's times are UTC.
  private static Timestamp timestamp(Instant instant) {
    return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }
}
