package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where the HTTP listener binds; port 0 asks the operating system for a free port. With {@code
 * tls} the listener speaks only HTTPS; with {@code cors} browsers on the allowed origins may call
 * the HTTP API.
 */
public record HttpListenerConfig(String host, int port, Optional<TlsConfig> tls, Optional<CorsConfig> cors) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8765;

  public HttpListenerConfig {
    requireNonNull(host, "host is null");
    requireNonNull(tls, "tls is null");
    requireNonNull(cors, "cors is null");
  }

  public HttpListenerConfig(String host, int port, Optional<TlsConfig> tls) {
    this(host, port, tls, Optional.empty());
  }

  /** A plain-HTTP listener. */
  public HttpListenerConfig(String host, int port) {
    this(host, port, Optional.empty());
  }

  public static HttpListenerConfig defaults() {
    return new HttpListenerConfig(DEFAULT_HOST, DEFAULT_PORT);
  }

  public HttpListenerConfig withTls(TlsConfig tls) {
    return new HttpListenerConfig(host, port, Optional.of(requireNonNull(tls, "tls is null")), cors);
  }

  public HttpListenerConfig withCors(CorsConfig cors) {
    return new HttpListenerConfig(host, port, tls, Optional.of(requireNonNull(cors, "cors is null")));
  }
}
