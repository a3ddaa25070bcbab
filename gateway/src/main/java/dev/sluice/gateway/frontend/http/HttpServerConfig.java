package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

/**
 * Where the HTTP listener binds and how much work it accepts.
 *
 * @param port 0 picks a free port; {@link HttpServer#port()} tells which
 * @param maxRequestBytes larger request bodies are refused with 413
 * @param ioThreads Netty event-loop threads; 0 lets Netty choose (twice the cores)
 * @param handlerThreads threads running routes, which may block on warehouses
 * @param handlerQueueCapacity requests waiting for a handler thread; beyond that, 503 at once
 */
public record HttpServerConfig(
    String host,
    int port,
    int maxRequestBytes,
    int ioThreads,
    int handlerThreads,
    int handlerQueueCapacity) {
  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024;
  public static final int DEFAULT_HANDLER_THREADS = 32;
  public static final int DEFAULT_HANDLER_QUEUE_CAPACITY = 256;

  public HttpServerConfig {
    requireNonNull(host, "host is null");
    checkRange("port", port, 0, 65535);
    checkRange("maxRequestBytes", maxRequestBytes, 1, Integer.MAX_VALUE);
    checkRange("ioThreads", ioThreads, 0, 1024);
    checkRange("handlerThreads", handlerThreads, 1, 10_000);
    checkRange("handlerQueueCapacity", handlerQueueCapacity, 1, 1_000_000);
  }

  public static HttpServerConfig defaults(String host, int port) {
    return new HttpServerConfig(
        host, port, DEFAULT_MAX_REQUEST_BYTES, 0, DEFAULT_HANDLER_THREADS, DEFAULT_HANDLER_QUEUE_CAPACITY);
  }

  public HttpServerConfig withMaxRequestBytes(int maxRequestBytes) {
    return new HttpServerConfig(host, port, maxRequestBytes, ioThreads, handlerThreads, handlerQueueCapacity);
  }

  public HttpServerConfig withThreads(int ioThreads, int handlerThreads, int handlerQueueCapacity) {
    return new HttpServerConfig(host, port, maxRequestBytes, ioThreads, handlerThreads, handlerQueueCapacity);
  }

  private static void checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
    }
  }
}
