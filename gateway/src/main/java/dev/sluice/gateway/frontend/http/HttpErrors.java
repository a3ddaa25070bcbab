package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Answers a {@link GatewayException} on the JSON HTTP API, in one place: a status from its error
 * code and {@code {"error": {"code", "sqlstate", "message"}}}. Only the exception's message, which
 * is safe to show, reaches the client; never a stack trace.
 */
final class HttpErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpErrors() {}

  /** The status for an error code; see the README's table. */
  static HttpResponseStatus status(ErrorCode code) {
    return switch (code) {
      // An unknown table is a mistake in the query, not a missing HTTP resource; 404 would read as
      // "no such endpoint". Tables the caller may not read look the same, by design.
      case SYNTAX_ERROR, UNKNOWN_OBJECT, INVALID_QUERY, NOT_READ_ONLY, UNSUPPORTED, INVALID_PARAMETER,
          NO_SUCH_STATEMENT, QUERY_CANCELED -> HttpResponseStatus.BAD_REQUEST;
      case AUTHENTICATION_FAILED -> HttpResponseStatus.UNAUTHORIZED;
      case ACCESS_DENIED -> HttpResponseStatus.FORBIDDEN;
      // The warehouse did not answer in time: a gateway timeout, not a slow client (408).
      case QUERY_TIMEOUT -> HttpResponseStatus.GATEWAY_TIMEOUT;
      case RESOURCE_EXHAUSTED -> HttpResponseStatus.TOO_MANY_REQUESTS;
      case WAREHOUSE_UNAVAILABLE, AUDIT_UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
      case WAREHOUSE_ERROR -> HttpResponseStatus.BAD_GATEWAY;
      case CONFIGURATION_ERROR, INTERNAL_ERROR -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
    };
  }

  /**
   * Answers {@code failure}: 401 with Basic and Bearer challenges for a failed authentication, 429
   * with {@code Retry-After} for any temporary refusal (a login lockout too).
   */
  static void respond(HttpExchange exchange, GatewayException failure) {
    respond(exchange, status(failure.code()), failure);
  }

  /** Answers {@code failure} with a status of the caller's choosing (406, 415). */
  static void respond(HttpExchange exchange, HttpResponseStatus status, GatewayException failure) {
    HttpHeaders headers = new DefaultHttpHeaders();
    Optional<Duration> retryAfter = failure.retryAfter();
    if (retryAfter.isPresent()) {
      status = HttpResponseStatus.TOO_MANY_REQUESTS;
      headers.set(HttpHeaderNames.RETRY_AFTER, Math.max(1, retryAfter.get().toSeconds()));
    } else if (failure.code() == ErrorCode.AUTHENTICATION_FAILED) {
      headers.add(HttpAuthentication.challenges());
    }
    exchange.respond(status, "application/json", body(failure), headers);
  }

  static byte[] body(GatewayException failure) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", failure.code().name());
    error.put("sqlstate", failure.sqlState());
    error.put("message", failure.getMessage());
    try {
      return JSON.writeValueAsString(Map.of("error", error)).getBytes(UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write an error body", e);
    }
  }
}
