package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Who may read {@code GET /metrics} (anyone, or only authenticated holders of {@code requiredRole})
 * and how often {@code GET /readyz} re-checks that the warehouses are reachable.
 */
public record MetricsConfig(Optional<String> requiredRole, Duration readinessInterval) {
  public static final Duration DEFAULT_READINESS_INTERVAL = Duration.ofSeconds(10);

  public MetricsConfig {
    requireNonNull(requiredRole, "requiredRole is null");
    requireNonNull(readinessInterval, "readinessInterval is null");
  }

  public static MetricsConfig defaults() {
    return new MetricsConfig(Optional.empty(), DEFAULT_READINESS_INTERVAL);
  }

  public MetricsConfig withRequiredRole(String role) {
    return new MetricsConfig(Optional.of(requireNonNull(role, "role is null")), readinessInterval);
  }
}
