package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Binding {@code limits}, {@code metrics} and each warehouse's limits, connections and circuit breaker. */
class ConfigAdmissionTest {
  private static final String MINIMAL = ConfigLoaderTest.MINIMAL;

  @Test
  void bindsGlobalPerUserAndRoleLimits() {
    GatewayConfig config = parse(MINIMAL + """
        limits:
          global: { max_concurrent_queries: 100, max_queued: 20, max_queue_wait: 5s }
          per_user: { max_concurrent_queries: 4 }
          roles:
            admin: { max_concurrent_queries: 10, max_queued: 0, query_timeout: 2m }
        """);
    assertThat(config.limits()).isEqualTo(new LimitsConfig(
        new LimitConfig(100, 20, Duration.ofSeconds(5)),
        new LimitConfig(4, LimitsConfig.DEFAULT_PER_USER.maxQueued(), LimitConfig.DEFAULT_MAX_QUEUE_WAIT),
        Map.of("admin", new RoleLimits(
            Optional.of(new LimitConfig(10, 0, LimitConfig.DEFAULT_MAX_QUEUE_WAIT)),
            Optional.of(Duration.ofMinutes(2))))));
  }

  @Test
  void bindsAWarehousesLimitsConnectionsAndBreakerAndSizesItsPoolFromTheLimit() {
    GatewayConfig config = parse(MINIMAL.replace("    dialect: duckdb\n", """
            dialect: duckdb
            limits: { max_concurrent_statements: 4, max_queued: 8, max_queue_wait: 3s }
            connections: { timeout: 2s, attempts: 3, backoff: 50ms, leak_detection: off }
            circuit_breaker: { failure_rate: 60, window: 10, minimum_calls: 4, open_for: 15s, half_open_calls: 3 }
        """));
    WarehouseConfig dw = config.warehouse("dw").orElseThrow();
    assertThat(dw.poolSize()).isEqualTo(5);
    assertThat(dw.admission()).isEqualTo(new WarehouseAdmission(
        new LimitConfig(4, 8, Duration.ofSeconds(3)),
        new ConnectionPolicy(Duration.ofSeconds(2), 3, Duration.ofMillis(50), Duration.ZERO),
        new CircuitBreakerPolicy(60, 10, 4, Duration.ofSeconds(15), 3)));
  }

  @Test
  void anExplicitPoolSizeWithoutLimitsIsAlsoTheStatementLimit() {
    WarehouseConfig dw = parse(MINIMAL.replace("    dialect: duckdb\n", "    dialect: duckdb\n    pool_size: 6\n"))
        .warehouse("dw").orElseThrow();
    assertThat(dw.poolSize()).isEqualTo(6);
    assertThat(dw.admission().limit().maxConcurrent()).isEqualTo(6);
  }

  @Test
  void bindsMetricsAccess() {
    GatewayConfig config = parse(MINIMAL + "metrics: { required_role: admin, readiness_interval: 30s }\n");
    assertThat(config.metrics()).isEqualTo(new MetricsConfig(Optional.of("admin"), Duration.ofSeconds(30)));
  }

  @Test
  void reportsEveryProblemWithItsKeyPath() {
    String yaml = MINIMAL.replace("    dialect: duckdb\n", """
            dialect: duckdb
            pool_size: 2
            limits: { max_concurrent_statements: 4, max_queued: -1, max_wait: 3s }
            connections: { timeout: 100ms, attempts: 0, leak_detection: 1s }
            circuit_breaker: { failure_rate: 150, window: 3, minimum_calls: 5, open_for: soon }
        """) + """
        limits:
          global: { max_concurrent_queries: 0 }
          per_user: 4
          roles:
            marketer: { query_timeout: 1m }
            admin: { max_queued: 3 }
          users: {}
        metrics: { required_role: ops, auth: none }
        """;
    assertThatThrownBy(() -> parse(yaml)).hasMessage("""
        Invalid configuration test.yaml:
          - warehouses.dw.limits.max_wait: unknown key (expected one of max_concurrent_statements, max_queued, max_queue_wait)
          - warehouses.dw.limits.max_queued: must be between 0 and 100000, got -1
          - warehouses.dw.pool_size: must be at least limits.max_concurrent_statements (4), got 2
          - warehouses.dw.connections.timeout: must be at least 250ms (the pool's minimum)
          - warehouses.dw.connections.attempts: must be between 1 and 10, got 0
          - warehouses.dw.connections.leak_detection: must be at least 2s, or off
          - warehouses.dw.circuit_breaker.failure_rate: must be between 1 and 100, got 150
          - warehouses.dw.circuit_breaker.minimum_calls: must not be more than window (3), got 5
          - warehouses.dw.circuit_breaker.open_for: expected a duration such as '300s', '5m' or '250ms', got 'soon'
          - limits.users: unknown key (expected one of global, per_user, roles)
          - limits.global.max_concurrent_queries: must be between 1 and 100000, got 0
          - limits.per_user: expected a mapping, got '4'
          - limits.roles.marketer: no user has the role 'marketer'
          - limits.roles.admin.max_concurrent_queries: is required when max_queued or max_queue_wait is given
          - metrics.auth: unknown key (expected one of required_role, readiness_interval)
          - metrics.required_role: no user has the role 'ops', so nobody could read the metrics""");
  }

  @Test
  void theDemoConfigurationDocumentsItsLimits() {
    GatewayConfig demo = ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", "/data")));
    WarehouseConfig dw = demo.warehouse("dw").orElseThrow();
    assertThat(dw.admission().limit()).isEqualTo(new LimitConfig(8, 16, Duration.ofSeconds(10)));
    assertThat(dw.poolSize()).isEqualTo(9);
    assertThat(demo.limits().roles()).containsKey("marketer");
  }

  private static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", VariableResolver.none());
  }
}
