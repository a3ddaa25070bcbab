package dev.sluice.gateway.engine;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.time.Duration;

/** Why a running query was stopped before its rows were all read. */
record StopReason(ErrorCode code, String message) {
  static StopReason canceled() {
    return new StopReason(ErrorCode.QUERY_CANCELED, "The query was canceled");
  }

  static StopReason timedOut(Duration timeout) {
    return new StopReason(
        ErrorCode.QUERY_TIMEOUT,
        "The query exceeded its timeout of " + timeout.toMillis() / 1000.0 + " s and was canceled");
  }

  GatewayException exception() {
    return new GatewayException(code, message);
  }
}
