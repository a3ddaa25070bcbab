package dev.sluice.gateway.admission;

import dev.sluice.dialects.PoolTuning;
import dev.sluice.dialects.Warehouse;
import dev.sluice.gateway.catalog.WarehouseConnector;
import dev.sluice.gateway.config.ConnectionPolicy;
import dev.sluice.gateway.config.WarehouseConfig;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens a configured warehouse the way admission expects it: a pool sized from its limit (the
 * binder did that), waiting at most the connection timeout, validating idle connections, logging
 * leaks, reporting its usage to the metrics, and retrying connection set-up.
 */
public final class ProtectedWarehouses {
  private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration KEEPALIVE = Duration.ofMinutes(2);

  private ProtectedWarehouses() {}

  public static Warehouse open(WarehouseConfig config, Optional<MetricsTrackerFactory> metrics) {
    ConnectionPolicy connections = config.admission().connections();
    // The liveness check of a borrowed connection is part of the wait for it.
    Duration validation =
        connections.timeout().compareTo(VALIDATION_TIMEOUT) < 0 ? connections.timeout() : VALIDATION_TIMEOUT;
    PoolTuning tuning =
        new PoolTuning(connections.timeout(), validation, KEEPALIVE, connections.leakDetection(), Optional.empty());
    Warehouse pooled = WarehouseConnector.open(config, metrics.map(tuning::withMetrics).orElse(tuning));
    return new Warehouse(
        pooled.name(),
        pooled.dialect(),
        new RetryingDataSource(pooled.name(), pooled.dataSource(), connections),
        pooled);
  }
}
