package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.catalog.GatewayTable;
import dev.sluice.gateway.engine.AccessSummary;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.FilterableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code audit.query_log}: the audit log as a table, one row per query (started joined with
 * finished, or rejected alone), evaluated in the gateway. Lists are JSON text columns. Conditions
 * on {@code started_at} and {@code user_name} are also used to skip files and records while
 * reading; Calcite still applies every condition itself.
 */
public final class QueryLogTable extends AbstractTable implements FilterableTable {
  public static final String SCHEMA = "audit";
  public static final String NAME = "query_log";

  /** The columns, in order; indexes used by {@link QueryLogFilters}. */
  enum Column {
    SEQ(SqlTypeName.BIGINT, false),
    QUERY_ID(SqlTypeName.VARCHAR, false),
    STATUS(SqlTypeName.VARCHAR, false),
    STARTED_AT(SqlTypeName.TIMESTAMP, false),
    FINISHED_AT(SqlTypeName.TIMESTAMP, true),
    USER_NAME(SqlTypeName.VARCHAR, true),
    ROLES(SqlTypeName.VARCHAR, true),
    PROTOCOL(SqlTypeName.VARCHAR, true),
    CLIENT_ADDRESS(SqlTypeName.VARCHAR, true),
    CLIENT_APPLICATION(SqlTypeName.VARCHAR, true),
    PURPOSE(SqlTypeName.VARCHAR, true),
    STAGE(SqlTypeName.VARCHAR, true),
    SQL_TEXT(SqlTypeName.VARCHAR, true),
    SQL_HASH(SqlTypeName.VARCHAR, true),
    TABLES_READ(SqlTypeName.VARCHAR, false),
    COLUMNS_READ(SqlTypeName.VARCHAR, false),
    MASKS(SqlTypeName.VARCHAR, false),
    ROW_FILTERS(SqlTypeName.VARCHAR, false),
    DENIED(SqlTypeName.VARCHAR, false),
    PUSHDOWNS(SqlTypeName.VARCHAR, false),
    ERROR_CODE(SqlTypeName.VARCHAR, true),
    SQL_STATE(SqlTypeName.VARCHAR, true),
    ERROR_MESSAGE(SqlTypeName.VARCHAR, true),
    ROWS_RETURNED(SqlTypeName.BIGINT, true),
    BYTES_RETURNED(SqlTypeName.BIGINT, true),
    QUEUE_MS(SqlTypeName.DOUBLE, true),
    PLANNING_MS(SqlTypeName.DOUBLE, true),
    EXECUTION_MS(SqlTypeName.DOUBLE, true),
    TOTAL_MS(SqlTypeName.DOUBLE, true),
    MIN_GROUP_SIZE(SqlTypeName.INTEGER, true),
    FOLDED_GROUPS(SqlTypeName.BIGINT, true);

    final SqlTypeName type;
    final boolean nullable;

    Column(SqlTypeName type, boolean nullable) {
      this.type = type;
      this.nullable = nullable;
    }

    String sqlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final AuditReader reader;

  public QueryLogTable(AuditReader reader) {
    this.reader = requireNonNull(reader, "reader is null");
  }

  /** The table as the catalog serves it; a policy grants it as {@code audit.query_log: {}}. */
  public static GatewayTable gatewayTable(AuditReader reader) {
    return new GatewayTable(SCHEMA, NAME, new QueryLogTable(reader), List.of("query_id"));
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder builder = typeFactory.builder();
    for (Column column : Column.values()) {
      RelDataType type = column.type == SqlTypeName.TIMESTAMP
          ? typeFactory.createSqlType(SqlTypeName.TIMESTAMP, 3)
          : typeFactory.createSqlType(column.type);
      builder.add(column.sqlName(), typeFactory.createTypeWithNullability(type, column.nullable));
    }
    return builder.build();
  }

  /** Rows stream from the files as they are read; a query appears once its finished record is read. */
  @Override
  public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters) {
    QueryLogFilters pushed = QueryLogFilters.of(filters, root);
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        AuditEntries entries = reader.open(pushed.since(), pushed.until(), pushed.user());
        return new Enumerator<>() {
          private Object[] current;

          @Override
          public Object[] current() {
            return current;
          }

          @Override
          public boolean moveNext() {
            if (!entries.hasNext()) {
              return false;
            }
            current = row(entries.next());
            return true;
          }

          @Override
          public void reset() {
            throw new UnsupportedOperationException("audit.query_log is read once per scan");
          }

          @Override
          public void close() {
            entries.close();
          }
        };
      }
    };
  }

  static Object[] row(QueryLogEntry entry) {
    Object[] row = new Object[Column.values().length];
    row[Column.SEQ.ordinal()] = entry.seq();
    row[Column.QUERY_ID.ordinal()] = entry.queryId();
    row[Column.STATUS.ordinal()] = entry.status();
    row[Column.STARTED_AT.ordinal()] = entry.startedAt().toEpochMilli();
    row[Column.FINISHED_AT.ordinal()] = entry.finishedAt().map(time -> time.toEpochMilli()).orElse(null);
    row[Column.USER_NAME.ordinal()] = entry.caller().user().orElse(null);
    row[Column.ROLES.ordinal()] = String.join(",", entry.caller().roles());
    row[Column.PROTOCOL.ordinal()] = entry.caller().protocol().orElse(null);
    row[Column.CLIENT_ADDRESS.ordinal()] = entry.caller().clientAddress().orElse(null);
    row[Column.CLIENT_APPLICATION.ordinal()] = entry.caller().clientApplication().orElse(null);
    row[Column.PURPOSE.ordinal()] = entry.caller().purpose().orElse(null);
    row[Column.STAGE.ordinal()] = entry.stage().orElse(null);
    row[Column.SQL_TEXT.ordinal()] = entry.sql().orElse(null);
    row[Column.SQL_HASH.ordinal()] = entry.sqlHash().orElse(null);
    row[Column.TABLES_READ.ordinal()] = json(entry.access().tables());
    row[Column.COLUMNS_READ.ordinal()] = json(entry.access().columns());
    row[Column.MASKS.ordinal()] = masks(entry.access().masks());
    row[Column.ROW_FILTERS.ordinal()] = filters(entry.access().rowFilters());
    row[Column.DENIED.ordinal()] = json(entry.denied());
    row[Column.PUSHDOWNS.ordinal()] = pushdowns(entry.pushdowns());
    row[Column.ERROR_CODE.ordinal()] = entry.error().map(AuditError::code).orElse(null);
    row[Column.SQL_STATE.ordinal()] = entry.error().map(AuditError::sqlState).orElse(null);
    row[Column.ERROR_MESSAGE.ordinal()] = entry.error().flatMap(AuditError::message).orElse(null);
    row[Column.ROWS_RETURNED.ordinal()] = entry.rows().isPresent() ? entry.rows().getAsLong() : null;
    row[Column.BYTES_RETURNED.ordinal()] = entry.bytes().isPresent() ? entry.bytes().getAsLong() : null;
    row[Column.QUEUE_MS.ordinal()] = entry.timings().flatMap(QueryFinished.Timings::queueMs).orElse(null);
    row[Column.PLANNING_MS.ordinal()] = entry.timings().map(QueryFinished.Timings::planningMs).orElse(null);
    row[Column.EXECUTION_MS.ordinal()] = entry.timings().map(QueryFinished.Timings::executionMs).orElse(null);
    row[Column.TOTAL_MS.ordinal()] = entry.timings().map(QueryFinished.Timings::totalMs).orElse(null);
    row[Column.MIN_GROUP_SIZE.ordinal()] = entry.minGroupSize().isPresent() ? entry.minGroupSize().getAsInt() : null;
    row[Column.FOLDED_GROUPS.ordinal()] =
        entry.foldedGroups().isPresent() ? entry.foldedGroups().getAsLong() : null;
    return row;
  }

  private static String json(List<String> values) {
    ArrayNode array = AuditJson.MAPPER.createArrayNode();
    values.forEach(array::add);
    return text(array);
  }

  private static String masks(List<AccessSummary.AppliedMask> masks) {
    ArrayNode array = AuditJson.MAPPER.createArrayNode();
    masks.forEach(mask -> array.addObject().put("table", mask.table()).put("column", mask.column()).put("mask", mask.mask()));
    return text(array);
  }

  private static String filters(List<AccessSummary.AppliedFilter> filters) {
    ArrayNode array = AuditJson.MAPPER.createArrayNode();
    filters.forEach(filter -> array.addObject().put("table", filter.table()).put("sql", filter.sql()));
    return text(array);
  }

  private static String pushdowns(List<QueryStarted.PushdownSql> pushdowns) {
    ArrayNode array = AuditJson.MAPPER.createArrayNode();
    pushdowns.forEach(p -> array.addObject().put("warehouse", p.warehouse()).put("sql", p.sql().orElse(null)));
    return text(array);
  }

  private static String text(ArrayNode array) {
    try {
      return AuditJson.MAPPER.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "Cannot render an audit record", e);
    }
  }
}
