package dev.sluice.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * The one exception type of the gateway: an error code (with its SQLSTATE) and a message that is
 * safe to show to the client. Causes are kept for the server log only.
 */
public final class GatewayException extends RuntimeException {
  private final ErrorCode code;
  // Null unless the refusal is temporary (see retryAfter()).
  private final Duration retryAfter;

  public GatewayException(ErrorCode code, String message) {
    super(requireNonNull(message, "message is null"));
    this.code = requireNonNull(code, "code is null");
    this.retryAfter = null;
  }

  public GatewayException(ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.code = requireNonNull(code, "code is null");
    this.retryAfter = null;
  }

  /**
   * A refusal that lifts after {@code retryAfter}, such as a login lockout; HTTP frontends answer
   * it with 429 and {@code Retry-After}.
   */
  public GatewayException(ErrorCode code, String message, Duration retryAfter) {
    super(requireNonNull(message, "message is null"));
    this.code = requireNonNull(code, "code is null");
    this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
  }

  public ErrorCode code() {
    return code;
  }

  public String sqlState() {
    return code.sqlState();
  }

  /** How long until the same request may succeed, when the refusal is temporary. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
