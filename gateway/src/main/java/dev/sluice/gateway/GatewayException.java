package dev.sluice.gateway;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type of the gateway: an error code (with its SQLSTATE) and a message that is
 * safe to show to the client. Causes are kept for the server log only.
 */
public final class GatewayException extends RuntimeException {
  private final ErrorCode code;

  public GatewayException(ErrorCode code, String message) {
    super(requireNonNull(message, "message is null"));
    this.code = requireNonNull(code, "code is null");
  }

  public GatewayException(ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.code = requireNonNull(code, "code is null");
  }

  public ErrorCode code() {
    return code;
  }

  public String sqlState() {
    return code.sqlState();
  }
}
