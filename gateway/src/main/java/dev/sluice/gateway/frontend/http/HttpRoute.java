package dev.sluice.gateway.frontend.http;

/**
 * Serves one path and method of the {@link HttpServer}. Runs on a handler thread, never on a Netty
 * event loop, so it may block; it must answer through {@link HttpExchange#respond} before
 * returning (the server answers 500 for it otherwise).
 */
@FunctionalInterface
public interface HttpRoute {
  void handle(HttpExchange exchange);
}
