package dev.sluice.gateway.admission;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one admitted query holds: its running slots at every limit and its passage through each
 * warehouse's circuit breaker. {@link #release} gives them all back and tells the breakers how the
 * query went; only its first call does anything, so every path that ends a query may call it.
 */
public final class AdmissionTicket {
  private final List<ConcurrencyLimit.Permit> permits;
  private final Map<String, WarehouseBreaker> breakers;
  private final long admittedNanos = System.nanoTime();
  private final Set<String> connectionFailures = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean released = new AtomicBoolean();

  AdmissionTicket(List<ConcurrencyLimit.Permit> permits, Map<String, WarehouseBreaker> breakers) {
    this.permits = List.copyOf(permits);
    this.breakers = Map.copyOf(breakers);
  }

  /** A ticket that holds nothing, for queries that touch no warehouse and for unlimited engines. */
  public static AdmissionTicket none() {
    return new AdmissionTicket(List.of(), Map.of());
  }

  /**
   * Records that opening a connection to {@code warehouse} failed, so that a federated query's
   * failure counts against the warehouse that failed and not the others it touched.
   */
  public void connectionFailed(String warehouse) {
    connectionFailures.add(requireNonNull(warehouse, "warehouse is null"));
  }

  public boolean released() {
    return released.get();
  }

  /** Returns the slots and reports the outcome: empty for success, else the failure's code. */
  public void release(Optional<ErrorCode> failure) {
    requireNonNull(failure, "failure is null");
    if (!released.compareAndSet(false, true)) {
      return;
    }
    // Breakers first: a probe's outcome should be known before the next query takes its slot.
    Duration elapsed = Duration.ofNanos(System.nanoTime() - admittedNanos);
    breakers.forEach((warehouse, breaker) -> report(warehouse, breaker, failure, elapsed));
    for (int i = permits.size() - 1; i >= 0; i--) {
      permits.get(i).release();
    }
  }

  private void report(String warehouse, WarehouseBreaker breaker, Optional<ErrorCode> failure, Duration elapsed) {
    if (failure.isEmpty()) {
      breaker.succeeded(elapsed);
      return;
    }
    ErrorCode code = failure.get();
    boolean warehouseFault = code == ErrorCode.WAREHOUSE_UNAVAILABLE || code == ErrorCode.QUERY_TIMEOUT;
    if (warehouseFault) {
      // With several warehouses, only one whose connection failed is known to be at fault.
      boolean blamed = connectionFailures.isEmpty()
          ? breakers.size() == 1
          : connectionFailures.contains(warehouse);
      if (blamed) {
        breaker.failed(elapsed, new GatewayException(code, code.name()));
      } else {
        breaker.released();
      }
      return;
    }
    switch (code) {
      // Nothing learned about the warehouse: the query never ran there, or was stopped by its client.
      case QUERY_CANCELED, RESOURCE_EXHAUSTED, INTERNAL_ERROR, CONFIGURATION_ERROR -> breaker.released();
      // The warehouse answered, even if with an error.
      default -> breaker.succeeded(elapsed);
    }
  }
}
