package dev.sluice.dialects;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.time.Duration;
import java.util.Optional;

/**
 * How a warehouse's connection pool waits, validates and watches its connections, beyond its size
 * (which the connection settings hold): the gateway derives these from its limits and passes its
 * metrics registry in.
 *
 * @param connectionTimeout how long a caller waits for a pooled connection (or a new one) before
 *     the pool gives up
 * @param validationTimeout how long a liveness check of a pooled connection may take
 * @param keepaliveTime how often idle connections are checked, so a dead one is replaced before a
 *     query borrows it; zero turns the checks off
 * @param leakDetectionThreshold a connection out of the pool longer than this is logged as a
 *     probable leak; zero turns detection off
 * @param metricsTrackerFactory where the pool reports its usage, if anywhere
 */
public record PoolTuning(
    Duration connectionTimeout,
    Duration validationTimeout,
    Duration keepaliveTime,
    Duration leakDetectionThreshold,
    Optional<MetricsTrackerFactory> metricsTrackerFactory) {
  // HikariCP refuses (or silently raises) values below these.
  private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
  private static final Duration MIN_KEEPALIVE = Duration.ofSeconds(30);
  private static final Duration MIN_LEAK_DETECTION = Duration.ofSeconds(2);

  public PoolTuning {
    requireNonNull(connectionTimeout, "connectionTimeout is null");
    requireNonNull(validationTimeout, "validationTimeout is null");
    requireNonNull(keepaliveTime, "keepaliveTime is null");
    requireNonNull(leakDetectionThreshold, "leakDetectionThreshold is null");
    requireNonNull(metricsTrackerFactory, "metricsTrackerFactory is null");
    if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
      throw new IllegalArgumentException("connectionTimeout must be at least 250ms, was " + connectionTimeout);
    }
    if (validationTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
      throw new IllegalArgumentException("validationTimeout must be at least 250ms, was " + validationTimeout);
    }
    if (!keepaliveTime.isZero() && keepaliveTime.compareTo(MIN_KEEPALIVE) < 0) {
      throw new IllegalArgumentException("keepaliveTime must be zero or at least 30s, was " + keepaliveTime);
    }
    if (!leakDetectionThreshold.isZero() && leakDetectionThreshold.compareTo(MIN_LEAK_DETECTION) < 0) {
      throw new IllegalArgumentException(
          "leakDetectionThreshold must be zero or at least 2s, was " + leakDetectionThreshold);
    }
  }

  /** HikariCP's own defaults but a shorter wait for a connection, and no metrics. */
  public static PoolTuning defaults() {
    return new PoolTuning(
        Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ZERO, Optional.empty());
  }

  public PoolTuning withMetrics(MetricsTrackerFactory factory) {
    return new PoolTuning(
        connectionTimeout,
        validationTimeout,
        keepaliveTime,
        leakDetectionThreshold,
        Optional.of(requireNonNull(factory, "factory is null")));
  }

  /** Applies these settings to a pool configuration that already has its size and connections. */
  public void applyTo(HikariConfig config) {
    requireNonNull(config, "config is null");
    config.setConnectionTimeout(connectionTimeout.toMillis());
    config.setValidationTimeout(validationTimeout.toMillis());
    config.setKeepaliveTime(keepaliveTime.toMillis());
    config.setLeakDetectionThreshold(leakDetectionThreshold.toMillis());
    metricsTrackerFactory.ifPresent(config::setMetricsTrackerFactory);
  }
}
