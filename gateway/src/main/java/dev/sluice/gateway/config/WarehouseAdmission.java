package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

/**
 * How one warehouse is protected: its statement limit and queue, how connections are obtained,
 * and its circuit breaker.
 */
public record WarehouseAdmission(LimitConfig limit, ConnectionPolicy connections, CircuitBreakerPolicy circuitBreaker) {
  public static final int DEFAULT_MAX_CONCURRENT_STATEMENTS = 8;
  public static final int DEFAULT_MAX_QUEUED = 16;

  public WarehouseAdmission {
    requireNonNull(limit, "limit is null");
    requireNonNull(connections, "connections is null");
    requireNonNull(circuitBreaker, "circuitBreaker is null");
  }

  /** The defaults, with as many concurrent statements as {@code poolSize} connections. */
  public static WarehouseAdmission defaults(int poolSize) {
    return new WarehouseAdmission(
        new LimitConfig(poolSize, DEFAULT_MAX_QUEUED, LimitConfig.DEFAULT_MAX_QUEUE_WAIT),
        ConnectionPolicy.defaults(),
        CircuitBreakerPolicy.defaults());
  }

  public WarehouseAdmission withLimit(LimitConfig newLimit) {
    return new WarehouseAdmission(newLimit, connections, circuitBreaker);
  }

  public WarehouseAdmission withConnections(ConnectionPolicy newConnections) {
    return new WarehouseAdmission(limit, newConnections, circuitBreaker);
  }

  public WarehouseAdmission withCircuitBreaker(CircuitBreakerPolicy newCircuitBreaker) {
    return new WarehouseAdmission(limit, connections, newCircuitBreaker);
  }
}
