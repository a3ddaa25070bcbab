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
 * A query refused by a concurrency limit leaves one {@code rejected} record at stage
 * {@code admission}, with the limit's message, and no {@code started} record: nothing ran.
 */
class AuditAdmissionTest {
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());

  @Test
  void aQueryRefusedByALimitIsRejectedAtAdmission() throws Exception {
    LimitConfig one = new LimitConfig(1, 0, Duration.ofMillis(100));
    try (GatewayServer server = new GatewayServer(
        TestingGateway.demoConfig(config -> config.withLimits(LimitsConfig.defaults().withPerUser(one))))) {
      server.start();
      Path audit = server.config().audit().directory();
      QueryEngine engine = server.engine();
      QueryContext context = new QueryContext(MAX, Protocol.HTTP, Optional.of("127.0.0.1"), Optional.of("curl/8"));
      String holding = "SELECT order_id FROM cdp.purchases /* holds the only slot */";
      String refused = "SELECT COUNT(*) FROM cdp.customers /* refused */";
      QueryPlan first = engine.prepare(context, holding);
      QueryPlan second = engine.prepare(context, refused);
      try (QueryCursor running = engine.execute(context, first, List.of(), Optional.empty())) {
        assertThat(running.fetch(10)).hasSize(10);
        assertThatThrownBy(() -> engine.execute(context, second, List.of(), Optional.empty()))
            .isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
      }
      JsonNode rejected = awaitRecord(audit,
          r -> r.path("type").asText().equals("rejected") && r.path("sql").asText().equals(refused));
      assertThat(rejected.path("stage").asText()).isEqualTo("admission");
      assertThat(rejected.path("user").asText()).isEqualTo("max");
      assertThat(rejected.path("protocol").asText()).isEqualTo("http");
      assertThat(rejected.path("client_application").asText()).isEqualTo("curl/8");
      assertThat(rejected.path("error").path("sql_state").asText()).isEqualTo("53000");
      assertThat(rejected.path("error").path("message").asText()).contains("User 'max'");
      assertThat(records(audit))
          .noneMatch(r -> r.path("type").asText().equals("started") && r.path("sql").asText().equals(refused));
    }
  }
}
