package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Binds a warehouse's protection: {@code limits} (statements at once, queue, queue wait), {@code
 * connections} (pool wait, retries, leak detection) and {@code circuit_breaker}; and sizes its
 * pool from the limit unless {@code pool_size} is given. Kept apart from {@link WarehousesBinder}
 * like {@link PushdownBinder}.
 */
final class WarehouseAdmissionBinder {
  static final List<String> KEYS = List.of("limits", "connections", "circuit_breaker");
  private static final String CONCURRENT_STATEMENTS = "max_concurrent_statements";
  /** One connection beyond the statement limit, for readiness checks and catalog discovery. */
  static final int SPARE_CONNECTIONS = 1;

  private WarehouseAdmissionBinder() {}

  static WarehouseConfig bind(WarehouseConfig warehouse, ObjectNode node, String path, ConfigReader reader) {
    boolean poolSizeGiven = ConfigReader.field(node, "pool_size").isPresent();
    // Without limits, an explicit pool_size keeps its old meaning: also the statements at once.
    int defaultConcurrency =
        poolSizeGiven ? warehouse.poolSize() : WarehouseAdmission.DEFAULT_MAX_CONCURRENT_STATEMENTS;
    LimitConfig defaults = new LimitConfig(
        defaultConcurrency, WarehouseAdmission.DEFAULT_MAX_QUEUED, LimitConfig.DEFAULT_MAX_QUEUE_WAIT);
    String limitsPath = ConfigReader.path(path, "limits");
    LimitConfig limit = ConfigReader.field(node, "limits")
        .flatMap(value -> reader.mapping(value, limitsPath, List.of(CONCURRENT_STATEMENTS, "max_queued", "max_queue_wait")))
        .map(value -> LimitsBinder.limit(value, limitsPath, CONCURRENT_STATEMENTS, defaults, reader))
        .orElse(defaults);
    int poolSize = poolSizeGiven ? warehouse.poolSize() : limit.maxConcurrent() + SPARE_CONNECTIONS;
    if (poolSize < limit.maxConcurrent()) {
      reader.problem(ConfigReader.path(path, "pool_size"), "must be at least limits." + CONCURRENT_STATEMENTS
          + " (" + limit.maxConcurrent() + "), got " + poolSize);
    }
    WarehouseAdmission admission = new WarehouseAdmission(
        limit, connections(node, path, reader), circuitBreaker(node, path, reader));
    return warehouse.withPoolSize(poolSize).withAdmission(admission);
  }

  private static ConnectionPolicy connections(ObjectNode warehouse, String warehousePath, ConfigReader reader) {
    String path = ConfigReader.path(warehousePath, "connections");
    ConnectionPolicy defaults = ConnectionPolicy.defaults();
    Optional<ObjectNode> node = ConfigReader.field(warehouse, "connections")
        .flatMap(value -> reader.mapping(value, path, List.of("timeout", "attempts", "backoff", "leak_detection")));
    if (node.isEmpty()) {
      return defaults;
    }
    Duration timeout = reader.duration(node.get(), path, "timeout", defaults.timeout());
    if (timeout.compareTo(Duration.ofMillis(250)) < 0) {
      reader.problem(ConfigReader.path(path, "timeout"), "must be at least 250ms (the pool's minimum)");
      timeout = defaults.timeout();
    }
    int attempts = reader.integer(node.get(), path, "attempts", defaults.attempts(), 1, 10);
    Duration backoff = reader.duration(node.get(), path, "backoff", defaults.backoff());
    Duration leakDetection = leakDetection(node.get(), path, defaults.leakDetection(), reader);
    return new ConnectionPolicy(timeout, attempts, backoff, leakDetection);
  }

  /** A duration of at least 2s, or {@code off} (which YAML 1.1 reads as false). */
  private static Duration leakDetection(ObjectNode node, String path, Duration defaultValue, ConfigReader reader) {
    String keyPath = ConfigReader.path(path, "leak_detection");
    Optional<String> text = reader.optionalString(node, path, "leak_detection");
    if (text.isPresent() && (text.get().trim().equals("off") || text.get().trim().equals("false"))) {
      return Duration.ZERO;
    }
    Duration value = reader.duration(node, path, "leak_detection", defaultValue);
    if (value.compareTo(Duration.ofSeconds(2)) < 0) {
      reader.problem(keyPath, "must be at least 2s, or off");
      return defaultValue;
    }
    return value;
  }

  private static CircuitBreakerPolicy circuitBreaker(ObjectNode warehouse, String warehousePath, ConfigReader reader) {
    String path = ConfigReader.path(warehousePath, "circuit_breaker");
    CircuitBreakerPolicy defaults = CircuitBreakerPolicy.defaults();
    List<String> keys = List.of("failure_rate", "window", "minimum_calls", "open_for", "half_open_calls");
    Optional<ObjectNode> node =
        ConfigReader.field(warehouse, "circuit_breaker").flatMap(value -> reader.mapping(value, path, keys));
    if (node.isEmpty()) {
      return defaults;
    }
    int failureRate = reader.integer(node.get(), path, "failure_rate", defaults.failureRatePercent(), 1, 100);
    int window = reader.integer(node.get(), path, "window", defaults.window(), 1, 10_000);
    int minimumCalls = reader.integer(node.get(), path, "minimum_calls", Math.min(defaults.minimumCalls(), window), 1, 10_000);
    if (minimumCalls > window) {
      reader.problem(ConfigReader.path(path, "minimum_calls"),
          "must not be more than window (" + window + "), got " + minimumCalls);
      minimumCalls = window;
    }
    Duration openFor = reader.duration(node.get(), path, "open_for", defaults.openFor());
    int halfOpenCalls = reader.integer(node.get(), path, "half_open_calls", defaults.halfOpenCalls(), 1, 1000);
    return new CircuitBreakerPolicy(failureRate, window, minimumCalls, openFor, halfOpenCalls);
  }
}
