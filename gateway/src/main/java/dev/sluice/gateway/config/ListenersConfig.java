package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

/** The network endpoints the gateway listens on; one per protocol frontend. */
public record ListenersConfig(HttpListenerConfig http, FlightListenerConfig flight) {
  public ListenersConfig {
    requireNonNull(http, "http is null");
    requireNonNull(flight, "flight is null");
  }

  /**
   * The HTTP listener alone, with Flight SQL disabled: what code written before the Flight SQL
   * listener existed meant, and what tests that start several gateways need (each enabled listener
   * needs a port of its own).
   */
  public ListenersConfig(HttpListenerConfig http) {
    this(http, FlightListenerConfig.disabled());
  }

  /** Both listeners on their default addresses, as a configuration file without {@code listeners} gets. */
  public static ListenersConfig defaults() {
    return new ListenersConfig(HttpListenerConfig.defaults(), FlightListenerConfig.defaults());
  }
}
