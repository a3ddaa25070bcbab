package dev.sluice.gateway.audit;

import static dev.sluice.gateway.audit.AuditTesting.config;
import static dev.sluice.gateway.audit.AuditTesting.finished;
import static dev.sluice.gateway.audit.AuditTesting.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.catalog.SqlSettings;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.TimestampString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader joins started and finished records across files, skips files older than asked, and
 * takes the time range and user from the conditions Calcite hands to {@code audit.query_log}.
 */
class AuditReaderTest {
  private static final JavaTypeFactory TYPES = new JavaTypeFactoryImpl(SqlSettings.TYPE_SYSTEM);
  private static final RexBuilder REX = new RexBuilder(TYPES);
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path directory;

  @Test
  void joinsFinishedRecordsWrittenInALaterFileAndReadsOnlyFilesThatCanMatch() throws Exception {
    TestingClock clock = new TestingClock(NOW.minus(Duration.ofDays(2)));
    try (AuditLog log = AuditLog.open(config(directory).withRotation(1_200, Duration.ofHours(24)), clock)) {
      log.appendDurably(started("two-days-ago", "max"));
      log.appendDurably(finished("two-days-ago"));
      clock.advance(Duration.ofDays(2));
      log.appendDurably(started("now", "max"));
      log.appendDurably(started("now-mia", "mia"));
      log.appendDurably(finished("now"));
    }
    AuditReader reader = new AuditReader(directory);
    assertThat(reader.entries(Optional.empty(), Optional.empty(), Optional.empty()))
        .extracting(QueryLogEntry::queryId).containsExactly("two-days-ago", "now", "now-mia");
    List<QueryLogEntry> recent = reader.entries(Optional.of(NOW.minus(Duration.ofHours(1))), Optional.empty(), Optional.of("max"));
    assertThat(recent).singleElement().satisfies(entry -> {
      assertThat(entry.queryId()).isEqualTo("now");
      assertThat(entry.status()).isEqualTo("ok");
      assertThat(entry.rows()).hasValue(1);
    });
    // Files wholly before the range are not even read: damage there does not matter to this search.
    Path oldest = AuditTesting.files(directory).get(0);
    Files.writeString(oldest, "garbage\n");
    assertThat(reader.entries(Optional.of(NOW.minus(Duration.ofHours(1))), Optional.empty(), Optional.empty()))
        .extracting(QueryLogEntry::queryId).containsExactly("now", "now-mia");
  }

  @Test
  void streamsEachQueryOnceItsOutcomeIsReadHoldingOnlyThoseStillWaiting() throws Exception {
    try (AuditLog log = AuditLog.open(config(directory))) {
      log.appendDurably(started("long", "max"));
      log.appendDurably(started("short", "max"));
      log.appendDurably(finished("short"));
      log.appendDurably(started("crashed", "max"));
      log.appendDurably(finished("long"));
    }
    Files.writeString(AuditTesting.files(directory).get(0), "{\"seq\":7,\"type\":\"sta", java.nio.file.StandardOpenOption.APPEND);
    List<String> order = new java.util.ArrayList<>();
    try (AuditEntries entries = new AuditReader(directory).open(Optional.empty(), Optional.empty(), Optional.empty())) {
      entries.forEachRemaining(entry -> order.add(entry.queryId() + ":" + entry.status()));
    }
    assertThat(order).containsExactly("short:ok", "long:ok", "crashed:started");
    // Searches come newest first, and keep only as many as asked.
    assertThat(new AuditReader(directory).search(AuditQuery.recent().withLimit(2)))
        .extracting(QueryLogEntry::queryId).containsExactly("crashed", "short");
  }

  @Test
  void takesUserAndTimeRangeFromTheConditionsOnTheTable() {
    RexNode user = REX.makeCall(SqlStdOperatorTable.EQUALS, column(QueryLogTable.Column.USER_NAME), REX.makeLiteral("max"));
    RexNode since = REX.makeCall(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, column(QueryLogTable.Column.STARTED_AT),
        REX.makeTimestampLiteral(new TimestampString("2026-03-01 10:00:00"), 3));
    RexNode until = REX.makeCall(SqlStdOperatorTable.GREATER_THAN,
        REX.makeDynamicParam(column(QueryLogTable.Column.STARTED_AT).getType(), 0),
        column(QueryLogTable.Column.STARTED_AT));
    QueryLogFilters filters = QueryLogFilters.of(
        List.of(REX.makeCall(SqlStdOperatorTable.AND, user, since), until),
        new Context(Map.of("?0", Instant.parse("2026-03-01T11:00:00Z").toEpochMilli())));
    assertThat(filters.user()).contains("max");
    // Widened by a second, so that precision casts never skip a matching row.
    assertThat(filters.since()).contains(Instant.parse("2026-03-01T09:59:59Z"));
    assertThat(filters.until()).contains(Instant.parse("2026-03-01T11:00:01Z"));
  }

  @Test
  void evaluatesTheClockInConditionsSuchAsTheLastHour() {
    RexNode now = REX.makeCall(SqlStdOperatorTable.CURRENT_TIMESTAMP);
    RexNode hour = REX.makeIntervalLiteral(BigDecimal.valueOf(3_600_000),
        new SqlIntervalQualifier(TimeUnit.HOUR, null, SqlParserPos.ZERO));
    RexNode hourAgo = REX.makeCall(now.getType(), SqlStdOperatorTable.MINUS_DATE, List.of(now, hour));
    RexNode condition = REX.makeCall(SqlStdOperatorTable.GREATER_THAN, column(QueryLogTable.Column.STARTED_AT), hourAgo);
    Map<String, Object> variables = new HashMap<>();
    variables.put(DataContext.Variable.CURRENT_TIMESTAMP.camelName, NOW.toEpochMilli());
    variables.put(DataContext.Variable.UTC_TIMESTAMP.camelName, NOW.toEpochMilli());
    variables.put(DataContext.Variable.LOCAL_TIMESTAMP.camelName, NOW.toEpochMilli());
    variables.put(DataContext.Variable.TIME_ZONE.camelName, TimeZone.getTimeZone("UTC"));
    QueryLogFilters filters = QueryLogFilters.of(List.of(condition), new Context(variables));
    assertThat(filters.since()).contains(NOW.minus(Duration.ofHours(1)).minusSeconds(1));
    assertThat(filters.user()).isEmpty();
  }

  @Test
  void conditionsItCannotUseAreLeftToCalcite() {
    RexNode like = REX.makeCall(SqlStdOperatorTable.LIKE, column(QueryLogTable.Column.USER_NAME), REX.makeLiteral("m%"));
    RexNode or = REX.makeCall(SqlStdOperatorTable.OR,
        REX.makeCall(SqlStdOperatorTable.EQUALS, column(QueryLogTable.Column.USER_NAME), REX.makeLiteral("max")),
        REX.makeCall(SqlStdOperatorTable.EQUALS, column(QueryLogTable.Column.USER_NAME), REX.makeLiteral("mia")));
    QueryLogFilters filters = QueryLogFilters.of(List.of(like, or), new Context(Map.of()));
    assertThat(filters).isEqualTo(new QueryLogFilters(Optional.empty(), Optional.empty(), Optional.empty()));
  }

  private static RexNode column(QueryLogTable.Column column) {
    RelDataType rowType = new QueryLogTable(new AuditReader(Path.of("unused"))).getRowType(TYPES);
    return REX.makeInputRef(rowType.getFieldList().get(column.ordinal()).getType(), column.ordinal());
  }

  /** Just the variables a filter may refer to. */
  private record Context(Map<String, Object> variables) implements DataContext {
    @Override
    public SchemaPlus getRootSchema() {
      return null;
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
      return TYPES;
    }

    @Override
    public QueryProvider getQueryProvider() {
      return null;
    }

    @Override
    public Object get(String name) {
      return variables.get(name);
    }
  }
}
