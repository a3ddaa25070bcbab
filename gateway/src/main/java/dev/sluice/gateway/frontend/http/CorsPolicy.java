package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Lets browser pages on allowed origins (the CDP UI) call some endpoints across origins: answers
 * their {@code OPTIONS} preflights and adds the CORS headers to their answers, errors included.
 * Credentials travel in the {@code Authorization} header the page sets, never as cookies, so no
 * {@code Access-Control-Allow-Credentials} is sent.
 */
public final class CorsPolicy {
  static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept";
  static final String EXPOSED_HEADERS = "Retry-After, WWW-Authenticate, " + QueryRoute.QUERY_ID_HEADER;

  private final Predicate<String> allowedOrigin;
  private final Duration maxAge;

  /**
   * @param allowedOrigin whether a request's {@code Origin} header value is allowed
   * @param maxAge how long a browser may reuse a preflight answer
   */
  public CorsPolicy(Predicate<String> allowedOrigin, Duration maxAge) {
    this.allowedOrigin = requireNonNull(allowedOrigin, "allowedOrigin is null");
    this.maxAge = requireNonNull(maxAge, "maxAge is null");
  }

  /** The endpoints with CORS headers on their answers, plus a preflight endpoint for each path. */
  public List<HttpEndpoint> apply(List<HttpEndpoint> endpoints) {
    Map<String, TreeSet<String>> methodsByPath = new LinkedHashMap<>();
    List<HttpEndpoint> result = new ArrayList<>();
    for (HttpEndpoint endpoint : endpoints) {
      methodsByPath.computeIfAbsent(endpoint.path(), path -> new TreeSet<>()).add(endpoint.method().name());
      HttpRoute route = endpoint.route();
      result.add(
          new HttpEndpoint(
              endpoint.method(),
              endpoint.path(),
              exchange -> {
                exchange.addResponseHeaders(responseHeaders(exchange));
                route.handle(exchange);
              }));
    }
    methodsByPath.forEach(
        (path, methods) ->
            result.add(new HttpEndpoint(HttpMethod.OPTIONS, path, exchange -> preflight(exchange, methods))));
    return result;
  }

  private HttpHeaders responseHeaders(HttpExchange exchange) {
    HttpHeaders headers = new DefaultHttpHeaders();
    String origin = exchange.headers().get(HttpHeaderNames.ORIGIN);
    if (origin != null && allowedOrigin.test(origin)) {
      headers
          .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
          .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
    }
    // The answer depends on Origin whenever CORS is on, allowed or not: caches must keep them apart.
    headers.set(HttpHeaderNames.VARY, "Origin");
    return headers;
  }

  private void preflight(HttpExchange exchange, TreeSet<String> methods) {
    String allowedMethods = String.join(", ", methods) + ", OPTIONS";
    String origin = exchange.headers().get(HttpHeaderNames.ORIGIN);
    if (origin == null) {
      // Not a browser preflight: a plain OPTIONS request, answered as RFC 9110 says.
      exchange.respond(
          HttpResponseStatus.NO_CONTENT,
          "text/plain; charset=utf-8",
          new byte[0],
          new DefaultHttpHeaders().set(HttpHeaderNames.ALLOW, allowedMethods));
      return;
    }
    if (!allowedOrigin.test(origin)) {
      HttpErrors.respond(
          exchange,
          HttpResponseStatus.FORBIDDEN,
          new GatewayException(
              ErrorCode.ACCESS_DENIED, "Origin " + origin + " may not call this endpoint (listeners.http.cors)"));
      return;
    }
    HttpHeaders headers =
        new DefaultHttpHeaders()
            .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
            .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, allowedMethods)
            .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
            .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, maxAge.toSeconds())
            .set(
                HttpHeaderNames.VARY,
                "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    exchange.respond(HttpResponseStatus.NO_CONTENT, "text/plain; charset=utf-8", new byte[0], headers);
  }
}
