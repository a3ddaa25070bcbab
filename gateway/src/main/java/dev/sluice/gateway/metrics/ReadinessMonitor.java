package dev.sluice.gateway.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The named checks behind {@code GET /readyz}, and the thread that keeps the warehouse checks'
 * cached results fresh. Other components add their own checks with {@link #add}.
 */
public final class ReadinessMonitor implements AutoCloseable {
  private final Duration interval;
  private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();
  private final List<WarehouseReachability> refreshed = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService scheduler;

  public ReadinessMonitor(Duration interval) {
    this.interval = requireNonNull(interval, "interval is null");
  }

  public void add(ReadinessCheck check) {
    checks.add(requireNonNull(check, "check is null"));
  }

  /** Adds a warehouse check that this monitor refreshes every interval. */
  public void add(WarehouseReachability check) {
    add((ReadinessCheck) check);
    refreshed.add(check);
  }

  public List<ReadinessCheck> checks() {
    return List.copyOf(checks);
  }

  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "sluice-readiness");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(this::refreshAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Re-runs every refreshed check now (the schedule does this every interval). */
  public void refreshAll() {
    refreshed.forEach(WarehouseReachability::refresh);
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
