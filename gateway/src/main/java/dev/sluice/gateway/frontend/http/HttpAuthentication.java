package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.policies.Principal;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Authenticates an HTTP request for a route and, when that fails, answers it: 401 with Basic and
 * Bearer challenges, or 429 with {@code Retry-After} while the caller is locked out.
 */
public final class HttpAuthentication {
  private final RequestAuthenticator authenticator;

  public HttpAuthentication(RequestAuthenticator authenticator) {
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
  }

  public RequestAuthenticator authenticator() {
    return authenticator;
  }

  /** The caller by Basic or Bearer; empty after answering the exchange when there is none. */
  public Optional<Principal> authenticate(HttpExchange exchange) {
    return attempt(exchange, authenticator::authenticate);
  }

  /** The caller by Basic only; empty after answering the exchange when there is none. */
  public Optional<Principal> authenticatePassword(HttpExchange exchange) {
    return attempt(exchange, authenticator::authenticatePassword);
  }

  /**
   * Runs one authentication call of {@link RequestAuthenticator} on the exchange's header and
   * address; empty after answering the exchange when it fails.
   */
  public Optional<Principal> attempt(
      HttpExchange exchange, BiFunction<Optional<String>, InetAddress, Principal> call) {
    requireNonNull(exchange, "exchange is null");
    requireNonNull(call, "call is null");
    Optional<String> authorization = Optional.ofNullable(exchange.headers().get(HttpHeaderNames.AUTHORIZATION));
    try {
      return Optional.of(call.apply(authorization, exchange.remoteAddress().getAddress()));
    } catch (GatewayException e) {
      respondRefused(exchange, e);
      return Optional.empty();
    }
  }

  /** Answers an authentication failure; the message is one of the authenticator's fixed texts. */
  public static void respondRefused(HttpExchange exchange, GatewayException failure) {
    Optional<Duration> retryAfter = failure.retryAfter();
    if (retryAfter.isPresent()) {
      exchange.respondText(
          HttpResponseStatus.TOO_MANY_REQUESTS,
          failure.getMessage(),
          new DefaultHttpHeaders().set(HttpHeaderNames.RETRY_AFTER, retryAfter.get().toSeconds()));
      return;
    }
    exchange.respondText(HttpResponseStatus.UNAUTHORIZED, failure.getMessage(), challenges());
  }

  // Both schemes are offered: httpclient5 (the Avatica driver) only sends a Bearer token in
  // answer to a Bearer challenge. Basic comes first for clients that only read the first one.
  static HttpHeaders challenges() {
    return new DefaultHttpHeaders()
        .add(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"sluice\"")
        .add(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"");
  }
}
