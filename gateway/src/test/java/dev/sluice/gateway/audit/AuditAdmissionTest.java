package dev.sluice.gateway.audit;

import static dev.sluice.gateway.audit.AuditTesting.awaitRecord;
import static dev.sluice.gateway.audit.AuditTesting.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.LimitConfig;
import dev.sluice.gateway.config.LimitsConfig;
import dev.sluice.gateway.engine.Protocol;
import dev.sluice.gateway.engine.QueryContext;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A query is written ahead before it waits for admission, so that no slot is held waiting for the
 * disk: one a concurrency limit refuses has its started record and a finished record with status
 * {@code rejected} at stage {@code admission}, the limit's message and its queue wait; nothing
 * ran, and audit.query_log shows it as rejected at admission.
 */
class AuditAdmissionTest {
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());
  private static final QueryContext CONTEXT =
      new QueryContext(MAX, Protocol.HTTP, Optional.of("127.0.0.1"), Optional.of("curl/8"));

  /** A started demo gateway whose per-user limit is {@code limit} (one query at a time). */
  private static GatewayServer oneQueryPerUser(LimitConfig limit) {
    GatewayServer server = new GatewayServer(
        TestingGateway.demoConfig(config -> config.withLimits(LimitsConfig.defaults().withPerUser(limit))));
    server.start();
    return server;
  }

  /** A query of max that has read some rows and holds his only slot until it is closed. */
  private static QueryCursor holdingTheOnlySlot(QueryEngine engine) {
    QueryPlan holding = engine.prepare(CONTEXT, "SELECT order_id FROM cdp.purchases /* holds the only slot */");
    QueryCursor running = engine.execute(CONTEXT, holding, List.of(), Optional.empty());
    assertThat(running.fetch(10)).hasSize(10);
    return running;
  }

  @Test
  void aQueryRefusedByALimitIsRejectedAtAdmission() throws Exception {
    try (GatewayServer server = oneQueryPerUser(new LimitConfig(1, 0, Duration.ofMillis(100)))) {
      Path audit = server.config().audit().directory();
      QueryEngine engine = server.engine();
      String refused = "SELECT COUNT(*) FROM cdp.customers /* refused */";
      QueryPlan second = engine.prepare(CONTEXT, refused);
      try (QueryCursor running = holdingTheOnlySlot(engine)) {
        assertThatThrownBy(() -> engine.execute(CONTEXT, second, List.of(), Optional.empty()))
            .isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
      }
      JsonNode started = awaitRecord(audit,
          r -> r.path("type").asText().equals("started") && r.path("sql").asText().equals(refused));
      assertThat(started.path("user").asText()).isEqualTo("max");
      assertThat(started.path("protocol").asText()).isEqualTo("http");
      assertThat(started.path("client_application").asText()).isEqualTo("curl/8");
      String queryId = started.path("query_id").asText();
      JsonNode rejected = awaitRecord(audit,
          r -> r.path("type").asText().equals("finished") && r.path("query_id").asText().equals(queryId));
      assertThat(rejected.path("status").asText()).isEqualTo("rejected");
      assertThat(rejected.path("stage").asText()).isEqualTo("admission");
      assertThat(rejected.path("rows").asLong()).isZero();
      assertThat(rejected.path("error").path("sql_state").asText()).isEqualTo("53000");
      assertThat(rejected.path("error").path("message").asText()).contains("User 'max'");
      // The queue took no slot: max_queued 0 refuses at once.
      assertThat(rejected.path("timings").path("queue_ms").isNumber()).isTrue();
      assertThat(records(audit)).noneMatch(r -> r.path("type").asText().equals("rejected"));

      QueryLogEntry entry = new AuditReader(audit).entries(Optional.empty(), Optional.empty(), Optional.of("max")).stream()
          .filter(e -> e.queryId().equals(queryId))
          .findFirst()
          .orElseThrow();
      assertThat(entry.status()).isEqualTo("rejected");
      assertThat(entry.stage()).contains("admission");
      assertThat(entry.error().orElseThrow().sqlState()).isEqualTo("53000");
    }
  }

  @Test
  void aQueuedQueryIsWrittenAheadWhileItWaitsAndRunsOnceASlotFrees() throws Exception {
    try (GatewayServer server = oneQueryPerUser(new LimitConfig(1, 1, Duration.ofSeconds(20)))) {
      Path audit = server.config().audit().directory();
      QueryEngine engine = server.engine();
      String queued = "SELECT COUNT(*) FROM cdp.customers /* waits in line */";
      QueryPlan second = engine.prepare(CONTEXT, queued);
      java.util.concurrent.CompletableFuture<Long> count;
      try (QueryCursor running = holdingTheOnlySlot(engine)) {
        count = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try (QueryCursor cursor = engine.execute(CONTEXT, second, List.of(), Optional.empty())) {
            return ((Number) cursor.fetch(10).get(0)[0]).longValue();
          }
        });
        // Durable while the query still waits for the slot the first one holds.
        awaitRecord(audit, r -> r.path("type").asText().equals("started") && r.path("sql").asText().equals(queued));
        Thread.sleep(100);
        assertThat(count).isNotDone();
      }
      assertThat(count.get(20, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
      JsonNode started = awaitRecord(audit,
          r -> r.path("type").asText().equals("started") && r.path("sql").asText().equals(queued));
      JsonNode finished = awaitRecord(audit, r -> r.path("type").asText().equals("finished")
          && r.path("query_id").asText().equals(started.path("query_id").asText()));
      assertThat(finished.path("status").asText()).isEqualTo("ok");
      assertThat(finished.has("stage")).isFalse();
      assertThat(finished.path("timings").path("queue_ms").asDouble()).isGreaterThanOrEqualTo(100.0);
    }
  }
}
