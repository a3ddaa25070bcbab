package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@code limits.roles.<role>} says about one role: how many queries all its holders together
 * may run at once, and how long one of their queries may run.
 */
public record RoleLimits(Optional<LimitConfig> concurrency, Optional<Duration> queryTimeout) {
  public RoleLimits {
    requireNonNull(concurrency, "concurrency is null");
    requireNonNull(queryTimeout, "queryTimeout is null");
  }
}
