package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the gateway gets connections to one warehouse ({@code warehouses.<name>.connections}).
 *
 * @param timeout how long a query waits for a pooled connection, or for a new one to open
 * @param attempts tries at getting a connection before the query fails (1 means no retry);
 *     connection set-up is the only warehouse call that is retried, since it is idempotent
 * @param backoff the wait before the first retry, doubled before each further one
 * @param leakDetection a connection held longer than this is logged as a probable leak; zero
 *     turns the check off
 */
public record ConnectionPolicy(Duration timeout, int attempts, Duration backoff, Duration leakDetection) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_ATTEMPTS = 2;
  public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
  /** Longer than the default query timeout plus the time an abandoned cursor is kept open. */
  public static final Duration DEFAULT_LEAK_DETECTION = Duration.ofMinutes(15);

  public ConnectionPolicy {
    requireNonNull(timeout, "timeout is null");
    requireNonNull(backoff, "backoff is null");
    requireNonNull(leakDetection, "leakDetection is null");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be positive: " + attempts);
    }
  }

  public static ConnectionPolicy defaults() {
    return new ConnectionPolicy(DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, DEFAULT_LEAK_DETECTION);
  }
}
