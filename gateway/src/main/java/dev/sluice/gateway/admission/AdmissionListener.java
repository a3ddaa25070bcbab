package dev.sluice.gateway.admission;

import java.time.Duration;
import java.util.Optional;

/** What admission reports as it happens, for metrics; implementations must be fast and not throw. */
public interface AdmissionListener {
  /** A query got its turn at a limit after {@code waited}; {@code warehouse} for warehouse limits. */
  void admitted(LimitKind kind, Optional<String> warehouse, Duration waited);

  /** A query was refused by a limit or a circuit breaker. */
  void rejected(LimitKind kind, RejectionReason reason, Optional<String> warehouse);

  AdmissionListener NONE = new AdmissionListener() {
    @Override
    public void admitted(LimitKind kind, Optional<String> warehouse, Duration waited) {}

    @Override
    public void rejected(LimitKind kind, RejectionReason reason, Optional<String> warehouse) {}
  };
}
