package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One concurrency limit: how many queries (or warehouse statements) may run at once, how many more
 * may wait for a turn in FIFO order, and for how long; beyond either, a query is refused at once.
 */
public record LimitConfig(int maxConcurrent, int maxQueued, Duration maxQueueWait) {
  public static final Duration DEFAULT_MAX_QUEUE_WAIT = Duration.ofSeconds(10);

  public LimitConfig {
    requireNonNull(maxQueueWait, "maxQueueWait is null");
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be positive: " + maxConcurrent);
    }
    if (maxQueued < 0) {
      throw new IllegalArgumentException("maxQueued must not be negative: " + maxQueued);
    }
    if (maxQueueWait.isNegative()) {
      throw new IllegalArgumentException("maxQueueWait must not be negative: " + maxQueueWait);
    }
  }
}
