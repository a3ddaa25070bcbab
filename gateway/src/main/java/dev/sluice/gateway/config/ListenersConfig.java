package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

/** The network endpoints the gateway listens on; one per protocol frontend. */
public record ListenersConfig(HttpListenerConfig http) {
  public ListenersConfig {
    requireNonNull(http, "http is null");
  }

  public static ListenersConfig defaults() {
    return new ListenersConfig(HttpListenerConfig.defaults());
  }
}
