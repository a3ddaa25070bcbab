package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.auth.IssuedToken;
import dev.sluice.policies.Principal;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/auth/token} exchanges Basic credentials for a bearer token (an OAuth 2.0 style
 * answer); {@code DELETE /v1/auth/token} revokes the bearer token it is called with.
 */
public final class AuthTokenRoute {
  public static final String PATH = "/v1/auth/token";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpAuthentication authentication;

  public AuthTokenRoute(HttpAuthentication authentication) {
    this.authentication = requireNonNull(authentication, "authentication is null");
  }

  public List<HttpEndpoint> endpoints() {
    return List.of(
        new HttpEndpoint(HttpMethod.POST, PATH, this::issue),
        new HttpEndpoint(HttpMethod.DELETE, PATH, this::revoke));
  }

  void issue(HttpExchange exchange) {
    Optional<Principal> principal = authentication.authenticatePassword(exchange);
    if (principal.isEmpty()) {
      return;
    }
    IssuedToken token;
    try {
      token = authentication.authenticator().issueToken(principal.get());
    } catch (GatewayException e) {
      exchange.respondText(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage(), noStore());
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token.token());
    body.put("token_type", "Bearer");
    body.put("expires_in", token.expiresIn().toSeconds());
    exchange.respond(HttpResponseStatus.OK, "application/json; charset=utf-8", json(body), noStore());
  }

  void revoke(HttpExchange exchange) {
    if (authentication.attempt(exchange, authentication.authenticator()::revokeToken).isPresent()) {
      exchange.respond(HttpResponseStatus.NO_CONTENT, "text/plain; charset=utf-8", new byte[0], noStore());
    }
  }

  // RFC 6749 5.1: responses carrying tokens must not be cached.
  private static HttpHeaders noStore() {
    return new DefaultHttpHeaders()
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set(HttpHeaderNames.PRAGMA, "no-cache");
  }

  private static byte[] json(Map<String, Object> body) {
    try {
      return JSON.writeValueAsString(body).getBytes(UTF_8);
    } catch (JsonProcessingException e) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "Cannot write the token answer", e);
    }
  }
}
