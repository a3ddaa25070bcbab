package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;

/** Binds a route to an exact request path and method. */
public record HttpEndpoint(HttpMethod method, String path, HttpRoute route) {
  public HttpEndpoint {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(route, "route is null");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
  }
}
