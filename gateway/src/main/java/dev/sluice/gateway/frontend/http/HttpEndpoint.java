package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Binds a route to a request path and method: an exact path, or every path under a prefix when
 * {@code path} ends with {@code /*} (such as {@code /audit/api/queries/*}, for ids in the path).
 */
public record HttpEndpoint(HttpMethod method, String path, HttpRoute route) {
  public HttpEndpoint {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(route, "route is null");
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
