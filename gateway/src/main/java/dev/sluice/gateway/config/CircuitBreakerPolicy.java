package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When one warehouse's circuit breaker opens and closes again ({@code
 * warehouses.<name>.circuit_breaker}). Only connection failures and query timeouts count as
 * failures; a query's own SQL errors say nothing about the warehouse's health.
 *
 * @param failureRatePercent the breaker opens when at least this share of the recent queries failed
 * @param window how many of the most recent queries the share is taken over
 * @param minimumCalls queries needed before the share is looked at
 * @param openFor how long queries are refused once it opened, before probes are let through
 * @param halfOpenCalls probe queries let through after {@code openFor}; if enough succeed, it closes
 */
public record CircuitBreakerPolicy(
    int failureRatePercent, int window, int minimumCalls, Duration openFor, int halfOpenCalls) {
  public CircuitBreakerPolicy {
    requireNonNull(openFor, "openFor is null");
    if (failureRatePercent < 1 || failureRatePercent > 100) {
      throw new IllegalArgumentException("failureRatePercent must be between 1 and 100: " + failureRatePercent);
    }
    if (window < 1 || minimumCalls < 1 || halfOpenCalls < 1) {
      throw new IllegalArgumentException("window, minimumCalls and halfOpenCalls must be positive");
    }
  }

  public static CircuitBreakerPolicy defaults() {
    return new CircuitBreakerPolicy(50, 20, 5, Duration.ofSeconds(30), 2);
  }
}
