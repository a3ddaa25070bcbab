package dev.sluice.gateway.engine;

/** How a query reached the gateway; recorded in metrics and the audit log. */
public enum Protocol {
  AVATICA("avatica"),
  FLIGHT_SQL("flight_sql"),
  HTTP("http"),
  /** Called in-process (tests, tooling), not through a network frontend. */
  EMBEDDED("embedded");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  /** The lower-case name used in metric labels and audit records. */
  public String label() {
    return label;
  }
}
