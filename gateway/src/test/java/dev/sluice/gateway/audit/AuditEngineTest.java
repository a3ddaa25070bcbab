package dev.sluice.gateway.audit;

import static dev.sluice.gateway.audit.AuditTesting.awaitRecord;
import static dev.sluice.gateway.audit.AuditTesting.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.ArrowBatches;
import dev.sluice.gateway.engine.Protocol;
import dev.sluice.gateway.engine.QueryAudit;
import dev.sluice.gateway.engine.QueryContext;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's audit hooks for the protocols that call it directly (Flight SQL and HTTP go
 * through {@code QueryEngine.execute} with their own {@link Protocol}): who and from where, Arrow
 * results with rows and bytes, timeouts, cancels, refusals, and above all the write-ahead rule,
 * checked from the warehouses' side.
 */
class AuditEngineTest {
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());
  private static final Principal SAM = new Principal("sam", Set.of("auditor"), Map.of());
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());

  private static AuditedEngine audited;
  private static BufferAllocator allocator;

  @BeforeAll
  static void start() {
    audited = new AuditedEngine(
        AuditTesting.config(TestingGateway.temporaryAuditDirectory()), Duration.ofSeconds(2));
    allocator = new RootAllocator();
  }

  @AfterAll
  static void stop() throws Exception {
    audited.close();
    allocator.close();
  }

  private static QueryContext flight(Principal principal) {
    return new QueryContext(principal, Protocol.FLIGHT_SQL, Optional.of("10.0.0.7"), Optional.of("flight-client/1.0"));
  }

  private static QueryContext http(Principal principal) {
    return new QueryContext(principal, Protocol.HTTP, Optional.of("10.0.0.8"), Optional.of("curl/8.5"));
  }

  @Test
  void flightSqlQueriesAreRecordedWithTheirArrowRowsAndBytes() throws Exception {
    String sql = "SELECT customer_id, email, last_name FROM cdp.customers WHERE customer_id < 100";
    QueryContext context = flight(MAX);
    QueryPlan plan = audited.engine.prepare(context, sql);
    String queryId;
    long rows = 0;
    try (QueryCursor cursor = audited.engine.execute(context, plan, List.of(), Optional.empty())) {
      queryId = cursor.queryId();
      ArrowBatches batches = cursor.arrow(allocator, 1_000);
      while (batches.next()) {
        rows += batches.root().getRowCount();
      }
    }
    JsonNode started = awaitRecord(audited.directory(), type("started", queryId));
    assertThat(started.path("protocol").asText()).isEqualTo("flight_sql");
    assertThat(started.path("client_address").asText()).isEqualTo("10.0.0.7");
    assertThat(started.path("client_application").asText()).isEqualTo("flight-client/1.0");
    assertThat(AuditJson.texts(started, "columns"))
        .containsExactly("cdp.customers.customer_id", "cdp.customers.email", "cdp.customers.last_name");
    assertThat(started.path("masks")).extracting(m -> m.path("column").asText() + ":" + m.path("mask").asText())
        .containsExactly("email:hash", "last_name:partial(1, 0)");
    JsonNode finished = awaitRecord(audited.directory(), type("finished", queryId));
    assertThat(finished.path("status").asText()).isEqualTo("ok");
    assertThat(finished.path("rows").asLong()).isEqualTo(rows).isPositive();
    assertThat(finished.path("bytes").asLong()).isPositive();
    assertThat(audited.unlogged()).isEmpty();
  }

  @Test
  void httpQueriesAreRecordedWithTheirProtocol() throws Exception {
    String sql = "SELECT region, COUNT(*) FROM cdp.customers GROUP BY region";
    QueryContext context = http(ADMIN);
    String queryId = drain(context, audited.engine.prepare(context, sql), List.of());
    JsonNode started = awaitRecord(audited.directory(), type("started", queryId));
    assertThat(started.path("protocol").asText()).isEqualTo("http");
    assertThat(started.path("client_address").asText()).isEqualTo("10.0.0.8");
    assertThat(started.path("client_application").asText()).isEqualTo("curl/8.5");
    assertThat(awaitRecord(audited.directory(), type("finished", queryId)).path("rows").asLong()).isEqualTo(4);
  }

  @Test
  void everyStatementAWarehouseReceivesWasLoggedBeforeItArrived() throws Exception {
    int before = audited.statements().size();
    QueryContext context = http(MAX);
    // One whole pushdown, and one query across both warehouses (one statement each).
    drain(context, audited.engine.prepare(context, "SELECT COUNT(*) FROM cdp.purchases WHERE amount > ?"), List.of(10));
    drain(context, audited.engine.prepare(context,
        "SELECT c.region, AVG(p.bread) FROM cdp.customers c JOIN cdp.propensity_scores p"
            + " ON c.customer_id = p.customer_id GROUP BY c.region"), List.of());
    assertThat(audited.statements().size() - before).isGreaterThanOrEqualTo(3);
    assertThat(audited.unlogged()).isEmpty();
  }

  @Test
  void aQueryPastItsTimeoutFinishesWithTimeout() throws Exception {
    QueryContext context = flight(ADMIN);
    QueryPlan plan = audited.engine.prepare(context,
        "SELECT COUNT(*) FROM cdp.purchases a JOIN cdp.purchases b ON a.amount < b.amount");
    String[] queryId = new String[1];
    assertThatThrownBy(() -> {
      try (QueryCursor cursor = audited.engine.execute(context, plan, List.of(), Optional.empty())) {
        queryId[0] = cursor.queryId();
        cursor.fetch(10);
      }
    }).isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.QUERY_TIMEOUT));
    JsonNode finished = queryId[0] != null
        ? awaitRecord(audited.directory(), type("finished", queryId[0]))
        : awaitRecord(audited.directory(), r -> r.path("type").asText().equals("finished")
            && r.path("status").asText().equals("timeout"));
    assertThat(finished.path("status").asText()).isEqualTo("timeout");
    assertThat(finished.path("error").path("code").asText()).isEqualTo("QUERY_TIMEOUT");
    assertThat(finished.path("error").path("sql_state").asText()).isEqualTo("57014");
  }

  @Test
  void aCanceledQueryFinishesCanceled() throws Exception {
    QueryContext context = http(ADMIN);
    QueryPlan plan = audited.engine.prepare(context, "SELECT order_id FROM cdp.purchases");
    String queryId;
    try (QueryCursor cursor = audited.engine.execute(context, plan, List.of(), Optional.empty())) {
      queryId = cursor.queryId();
      assertThat(cursor.fetch(100)).hasSize(100);
      cursor.cancel();
      assertThatThrownBy(() -> cursor.fetch(100)).isInstanceOf(GatewayException.class);
    }
    JsonNode finished = awaitRecord(audited.directory(), type("finished", queryId));
    assertThat(finished.path("status").asText()).isEqualTo("canceled");
    assertThat(finished.path("error").path("code").asText()).isEqualTo("QUERY_CANCELED");
    assertThat(finished.path("rows").asLong()).isEqualTo(100);
  }

  @Test
  void refusalsAreRejectedWithTheCallersProtocol() throws Exception {
    QueryContext context = flight(MAX);
    String sql = "SELECT nothing FROM cdp.customers /* flight refusal */";
    assertThatThrownBy(() -> audited.engine.prepare(context, sql)).isInstanceOf(GatewayException.class);
    JsonNode rejected = awaitRecord(audited.directory(), r -> r.path("type").asText().equals("rejected")
        && r.path("sql").asText().equals(sql));
    assertThat(rejected.path("protocol").asText()).isEqualTo("flight_sql");
    assertThat(rejected.path("client_application").asText()).isEqualTo("flight-client/1.0");
    assertThat(rejected.path("stage").asText()).isEqualTo("planning");

    String parameterized = "SELECT COUNT(*) FROM cdp.customers WHERE customer_id = ? /* wrong parameters */";
    QueryPlan plan = audited.engine.prepare(context, parameterized);
    assertThatThrownBy(() -> audited.engine.execute(context, plan, List.of(1, 2), Optional.empty()))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
    JsonNode wrongParameters = awaitRecord(audited.directory(), r -> r.path("type").asText().equals("rejected")
        && r.path("sql").asText().equals(parameterized));
    assertThat(wrongParameters.path("stage").asText()).isEqualTo("execution");
    assertThat(wrongParameters.path("error").path("code").asText()).isEqualTo("INVALID_PARAMETER");
  }

  @Test
  void theAuditTableIsReadThroughEveryProtocolAndReadingItIsAudited() throws Exception {
    String marker = "SELECT COUNT(*) FROM cdp.products /* read me back */";
    QueryContext maxContext = http(MAX);
    drain(maxContext, audited.engine.prepare(maxContext, marker), List.of());
    awaitRecord(audited.directory(), r -> r.path("type").asText().equals("finished"));
    QueryContext context = flight(SAM);
    QueryPlan plan = audited.engine.prepare(context,
        "SELECT query_id, status, sql_text FROM audit.query_log WHERE user_name = 'max' AND sql_text = ?");
    assertThat(plan.pushdowns()).isEmpty();
    String queryId;
    long rows = 0;
    try (QueryCursor cursor = audited.engine.execute(context, plan, List.of(marker), Optional.empty())) {
      queryId = cursor.queryId();
      ArrowBatches batches = cursor.arrow(allocator, 100);
      while (batches.next()) {
        rows += batches.root().getRowCount();
      }
    }
    assertThat(rows).isEqualTo(1);
    JsonNode started = awaitRecord(audited.directory(), type("started", queryId));
    assertThat(AuditJson.texts(started, "tables")).containsExactly("audit.query_log");
    assertThat(started.path("pushdowns")).isEmpty();
    assertThat(started.path("user").asText()).isEqualTo("sam");
  }

  @Test
  void theQueueWaitAdmissionReportsIsInTheFinishedRecord() throws Exception {
    QueryContext context = http(ADMIN);
    QueryPlan plan = audited.engine.prepare(context, "SELECT COUNT(*) FROM cdp.products");
    AuditTrail trail = new AuditTrail(audited.log, false, () -> new dev.sluice.policies.PolicySet(Map.of()));
    QueryAudit.AuditedQuery query = trail.started(context, plan, "queued-query-1");
    query.queueWait(Duration.ofMillis(12));
    query.failed(new GatewayException(ErrorCode.RESOURCE_EXHAUSTED, "too many queries"));
    JsonNode finished = awaitRecord(audited.directory(), type("finished", "queued-query-1"));
    assertThat(finished.path("timings").path("queue_ms").asDouble()).isEqualTo(12.0);
    assertThat(finished.path("status").asText()).isEqualTo("failed");
    assertThat(finished.path("error").path("sql_state").asText()).isEqualTo("53000");
  }

  @Test
  void anExplainRecordsWhatItWouldReadButNoPushdownSent() throws Exception {
    QueryContext context = http(MAX);
    String queryId = drain(context, audited.engine.prepare(context,
        "EXPLAIN PLAN FOR SELECT email FROM cdp.customers WHERE customer_id = 1"), List.of());
    JsonNode started = awaitRecord(audited.directory(), type("started", queryId));
    assertThat(AuditJson.texts(started, "columns")).containsExactly("cdp.customers.customer_id", "cdp.customers.email");
    assertThat(started.path("pushdowns")).isEmpty();
  }

  private static String drain(QueryContext context, QueryPlan plan, List<Object> parameters) {
    try (QueryCursor cursor = audited.engine.execute(context, plan, parameters, Optional.empty())) {
      while (!cursor.done()) {
        cursor.fetch(10_000);
      }
      return cursor.queryId();
    }
  }
}
