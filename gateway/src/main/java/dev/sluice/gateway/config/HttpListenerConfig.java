package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

/** Where the HTTP listener binds; port 0 asks the operating system for a free port. */
public record HttpListenerConfig(String host, int port) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8765;

  public HttpListenerConfig {
    requireNonNull(host, "host is null");
  }

  public static HttpListenerConfig defaults() {
    return new HttpListenerConfig(DEFAULT_HOST, DEFAULT_PORT);
  }
}
