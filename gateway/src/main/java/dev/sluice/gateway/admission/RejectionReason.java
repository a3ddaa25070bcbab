package dev.sluice.gateway.admission;

import java.util.Locale;

/** Why admission refused a query; a metric label. */
public enum RejectionReason {
  /** Every running slot and every queue place was taken. */
  QUEUE_FULL,
  /** The query queued but no slot freed up within the limit's wait. */
  WAIT_EXPIRED,
  /** The warehouse's circuit breaker is open. */
  CIRCUIT_OPEN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
