package dev.sluice.gateway.metrics;

import static java.util.Objects.requireNonNull;

import dev.sluice.dialects.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Whether one warehouse answers: a pooled connection that passes the driver's validity check.
 * {@link #refresh()} runs on the readiness monitor's schedule; {@link #current()} returns its last
 * result, so a probe never waits on a warehouse.
 */
public final class WarehouseReachability implements ReadinessCheck {
  private static final int VALID_TIMEOUT_SECONDS = 2;

  private final Warehouse warehouse;
  private volatile Status status = Status.notReady("not checked yet");

  public WarehouseReachability(Warehouse warehouse) {
    this.warehouse = requireNonNull(warehouse, "warehouse is null");
  }

  @Override
  public String name() {
    return "warehouse:" + warehouse.name();
  }

  @Override
  public Status current() {
    return status;
  }

  /** Checks the warehouse now and keeps the result. */
  public void refresh() {
    long start = System.nanoTime();
    try (Connection connection = warehouse.dataSource().getConnection()) {
      boolean valid = connection.isValid(VALID_TIMEOUT_SECONDS);
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      status = valid
          ? Status.ready("reachable (" + millis + " ms)")
          : Status.notReady("connection not valid after " + millis + " ms");
    } catch (SQLException | RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      status = Status.notReady("unreachable: " + message);
    }
  }
}
