package dev.sluice.gateway.admission;

import static java.util.Objects.requireNonNull;

import dev.sluice.dialects.DelegatingDataSource;
import dev.sluice.gateway.config.ConnectionPolicy;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A warehouse's pooled data source whose {@code getConnection} is retried with exponential backoff
 * (Resilience4j Retry) when the failure is a connection failure. Opening a connection is the one
 * warehouse call that is always safe to repeat; statements are never retried, since a query that
 * failed half-way may have been a long one.
 */
public final class RetryingDataSource extends DelegatingDataSource {
  private final Retry retry;

  public RetryingDataSource(String warehouse, DataSource target, ConnectionPolicy policy) {
    super(target);
    requireNonNull(warehouse, "warehouse is null");
    requireNonNull(policy, "policy is null");
    this.retry = Retry.of(
        "connect-" + warehouse,
        RetryConfig.custom()
            .maxAttempts(policy.attempts())
            .intervalFunction(IntervalFunction.ofExponentialBackoff(policy.backoff(), 2.0))
            .retryOnException(WarehouseFailures::isConnectionFailure)
            .build());
  }

  @Override
  public Connection getConnection() throws SQLException {
    try {
      return retry.executeCheckedSupplier(target::getConnection);
    } catch (SQLException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new SQLException("Opening a connection failed", "08001", e);
    }
  }

}
