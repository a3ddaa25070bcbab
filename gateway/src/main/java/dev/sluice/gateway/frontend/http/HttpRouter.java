package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds the route for a path and method (an exact path first, then the longest prefix endpoint
 * the path is under), and answers 404 or 405 when there is none.
 */
final class HttpRouter {
  private final Map<String, Map<HttpMethod, HttpEndpoint>> routesByPath;
  // Longest first, so that the most specific prefix wins.
  private final List<Map.Entry<String, Map<HttpMethod, HttpEndpoint>>> routesByPrefix;

  HttpRouter(List<HttpEndpoint> endpoints) {
    requireNonNull(endpoints, "endpoints is null");
    Map<String, Map<HttpMethod, HttpEndpoint>> byPath = new HashMap<>();
    Map<String, Map<HttpMethod, HttpEndpoint>> byPrefix = new HashMap<>();
    for (HttpEndpoint endpoint : endpoints) {
      Map<HttpMethod, HttpEndpoint> byMethod = endpoint.isPrefix()
          ? byPrefix.computeIfAbsent(endpoint.prefix(), prefix -> new HashMap<>())
          : byPath.computeIfAbsent(endpoint.path(), path -> new HashMap<>());
      if (byMethod.putIfAbsent(endpoint.method(), endpoint) != null) {
        throw new IllegalArgumentException("Two routes for " + endpoint.method() + " " + endpoint.path());
      }
    }
    byPath.replaceAll((path, byMethod) -> Map.copyOf(byMethod));
    this.routesByPath = Map.copyOf(byPath);
    this.routesByPrefix = byPrefix.entrySet().stream()
        .map(entry -> Map.entry(entry.getKey(), Map.copyOf(entry.getValue())))
        .sorted(Comparator.comparingInt((Map.Entry<String, ?> entry) -> entry.getKey().length()).reversed())
        .toList();
  }

  Optional<HttpEndpoint> route(HttpMethod method, String path) {
    return Optional.ofNullable(routesFor(path).get(method));
  }

  private Map<HttpMethod, HttpEndpoint> routesFor(String path) {
    Map<HttpMethod, HttpEndpoint> exact = routesByPath.get(path);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, Map<HttpMethod, HttpEndpoint>> prefix : routesByPrefix) {
      // The prefix itself (a trailing '/' and nothing after) names no resource under it.
      if (path.startsWith(prefix.getKey()) && path.length() > prefix.getKey().length()) {
        return prefix.getValue();
      }
    }
    return Map.of();
  }

  /** Answers a request that {@link #route} found nothing for; cheap enough for an event loop. */
  void respondUnmatched(HttpExchange exchange) {
    Map<HttpMethod, HttpEndpoint> byMethod = routesFor(exchange.path());
    if (byMethod.isEmpty()) {
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
