package dev.sluice.gateway.metrics;

import static java.util.Objects.requireNonNull;

/**
 * One named condition {@code GET /readyz} requires, such as a warehouse being reachable or (once
 * the audit log exists) the audit log being writable. {@link #current()} must answer at once, from
 * a cached result, since load balancers poll it often.
 */
public interface ReadinessCheck {
  /** A short stable name, shown in the readiness answer ({@code warehouse:dw}). */
  String name();

  Status current();

  /** Whether the condition holds, and a one-line detail for the operator. */
  record Status(boolean ready, String detail) {
    public Status {
      requireNonNull(detail, "detail is null");
    }

    public static Status ready(String detail) {
      return new Status(true, detail);
    }

    public static Status notReady(String detail) {
      return new Status(false, detail);
    }
  }
}
