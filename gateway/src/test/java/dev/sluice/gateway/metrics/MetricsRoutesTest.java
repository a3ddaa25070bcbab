package dev.sluice.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.MetricsConfig;
import dev.sluice.gateway.testing.TestingGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /metrics} behind a role, and {@code /healthz} and {@code /readyz}, on the demo. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsRoutesTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private GatewayServer server;

  @BeforeAll
  void start() {
    server = new GatewayServer(
        TestingGateway.demoConfig(config -> config.withMetrics(MetricsConfig.defaults().withRequiredRole("admin"))));
    server.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void metricsNeedTheConfiguredRole() throws Exception {
    assertThat(get("/metrics", Optional.empty()).statusCode()).isEqualTo(401);
    assertThat(get("/metrics", Optional.of("max")).statusCode()).isEqualTo(403);
    HttpResponse<String> admin = get("/metrics", Optional.of("admin"));
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(admin.headers().firstValue("content-type")).contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(admin.body())
        .contains("# TYPE sluice_queries_total counter")
        .contains("sluice_warehouse_statements_limit{warehouse=\"dw\",} 8.0")
        .contains("sluice_circuit_breaker_state{warehouse=\"lake\",state=\"closed\",} 1.0")
        .contains("hikaricp_max_connections{pool=\"duckdb-dw\",} 9.0")
        .contains("jvm_threads_current")
        // No user names in labels, whoever ran queries.
        .doesNotContain("user=");
  }

  @Test
  void healthAndReadiness() throws Exception {
    assertThat(get("/healthz", Optional.empty()).body()).isEqualTo("ok\n");
    server.readiness().refreshAll();
    HttpResponse<String> ready = get("/readyz", Optional.empty());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("warehouse:dw ok: reachable").contains("warehouse:lake ok").endsWith("ready\n");
  }

  private HttpResponse<String> get(String path, Optional<String> user) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path));
    user.ifPresent(name -> request.header("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((name + ":" + name + "-demo").getBytes(StandardCharsets.UTF_8))));
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
