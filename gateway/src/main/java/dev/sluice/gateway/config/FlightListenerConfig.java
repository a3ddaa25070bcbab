package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Whether and where the Arrow Flight SQL listener binds; port 0 asks the operating system for a
 * free port. With {@code tls} the listener speaks only gRPC over TLS.
 */
public record FlightListenerConfig(boolean enabled, String host, int port, Optional<TlsConfig> tls) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 32010;

  public FlightListenerConfig {
    requireNonNull(host, "host is null");
    requireNonNull(tls, "tls is null");
  }

  /** An enabled, plaintext listener. */
  public FlightListenerConfig(String host, int port) {
    this(true, host, port, Optional.empty());
  }

  public static FlightListenerConfig defaults() {
    return new FlightListenerConfig(DEFAULT_HOST, DEFAULT_PORT);
  }

  public static FlightListenerConfig disabled() {
    return new FlightListenerConfig(false, DEFAULT_HOST, DEFAULT_PORT, Optional.empty());
  }

  public FlightListenerConfig withTls(TlsConfig tls) {
    return new FlightListenerConfig(enabled, host, port, Optional.of(requireNonNull(tls, "tls is null")));
  }
}
