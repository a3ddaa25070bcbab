package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Finds the route for an exact path and method, and answers 404 or 405 when there is none. */
final class HttpRouter {
  private final Map<String, Map<HttpMethod, HttpRoute>> routesByPath;

  HttpRouter(List<HttpEndpoint> endpoints) {
    requireNonNull(endpoints, "endpoints is null");
    Map<String, Map<HttpMethod, HttpRoute>> byPath = new HashMap<>();
    for (HttpEndpoint endpoint : endpoints) {
      Map<HttpMethod, HttpRoute> byMethod = byPath.computeIfAbsent(endpoint.path(), path -> new HashMap<>());
      if (byMethod.putIfAbsent(endpoint.method(), endpoint.route()) != null) {
        throw new IllegalArgumentException("Two routes for " + endpoint.method() + " " + endpoint.path());
      }
    }
    byPath.replaceAll((path, byMethod) -> Map.copyOf(byMethod));
    this.routesByPath = Map.copyOf(byPath);
  }

  Optional<HttpRoute> route(HttpMethod method, String path) {
    return Optional.ofNullable(routesByPath.getOrDefault(path, Map.of()).get(method));
  }

  /** Answers a request that {@link #route} found nothing for; cheap enough for an event loop. */
  void respondUnmatched(HttpExchange exchange) {
    Map<HttpMethod, HttpRoute> byMethod = routesByPath.get(exchange.path());
    if (byMethod == null) {
      exchange.respondText(HttpResponseStatus.NOT_FOUND, "Not found: " + exchange.path());
      return;
    }
    TreeSet<String> allowed = new TreeSet<>();
    byMethod.keySet().forEach(method -> allowed.add(method.name()));
    exchange.respondText(
        HttpResponseStatus.METHOD_NOT_ALLOWED,
        "Method not allowed: " + exchange.method(),
        new DefaultHttpHeaders().set(HttpHeaderNames.ALLOW, String.join(", ", allowed)));
  }
}
