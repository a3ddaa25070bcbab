package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Binds a route to a request path and method: an exact path, or every path under a prefix when
 * {@code path} ends with {@code /*} (such as {@code /audit/api/queries/*}, for ids in the path).
 * The {@code lane} says which threads run it.
 */
public record HttpEndpoint(HttpMethod method, String path, HttpRoute route, Lane lane) {
  /** Which of the server's thread pools runs a route. */
  public enum Lane {
    /** The handler threads: queries and everything else that may wait on a warehouse or a limit. */
    REQUEST,
    /**
     * A few threads of their own, for quick answers that must come even while every handler thread
     * waits (health, readiness): a client queueing many queries cannot make the gateway look dead
     * to its orchestrator. Routes here must never wait on a warehouse or a limit, nor check a
     * password.
     */
    PROBE,
    /**
     * A few more threads, for the metrics scrape: it answers while every handler thread waits too,
     * but it may check a password (bcrypt, tens of milliseconds), so a flood of bad credentials
     * there must not hold up health and readiness.
     */
    METRICS
  }

  public HttpEndpoint(HttpMethod method, String path, HttpRoute route) {
    this(method, path, route, Lane.REQUEST);
  }

  /** An endpoint on the {@link Lane#METRICS} lane. */
  public static HttpEndpoint metrics(HttpMethod method, String path, HttpRoute route) {
    return new HttpEndpoint(method, path, route, Lane.METRICS);
  }

  /** An endpoint on the {@link Lane#PROBE} lane. */
  public static HttpEndpoint probe(HttpMethod method, String path, HttpRoute route) {
    return new HttpEndpoint(method, path, route, Lane.PROBE);
  }

  public HttpEndpoint {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(route, "route is null");
    requireNonNull(lane, "lane is null");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    if (path.indexOf('*') >= 0 && (!path.endsWith("/*") || path.indexOf('*') != path.length() - 1)) {
      throw new IllegalArgumentException("'*' may only end a path, after '/': " + path);
    }
  }

  /** Whether this endpoint serves every path under a prefix rather than one exact path. */
  public boolean isPrefix() {
    return path.endsWith("/*");
  }

  /** For a prefix endpoint, the path up to and including its last '/'. */
  String prefix() {
    return path.substring(0, path.length() - 1);
  }
}
