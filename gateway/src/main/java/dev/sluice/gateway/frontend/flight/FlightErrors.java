package dev.sluice.gateway.frontend.flight;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure of the Flight SQL frontend into the Flight status its client sees; the one
 * place that maps {@link ErrorCode}s to Flight. The description starts with the SQLSTATE in
 * brackets ({@code [42S02] Object 'X' not found}) and the trailers repeat it, with the error code
 * and, for refusals that lift, the seconds to wait. Nothing else of a failure (no stack trace, no
 * cause) goes on the wire.
 *
 * <p>A query timeout is {@link FlightStatusCode#TIMED_OUT} (gRPC's DEADLINE_EXCEEDED), not
 * CANCELLED: the server stopped the query because it ran too long, which a client should not
 * confuse with its own cancel.
 */
final class FlightErrors {
  static final String SQLSTATE = "sluice-sqlstate";
  static final String ERROR_CODE = "sluice-error-code";
  static final String RETRY_AFTER_SECONDS = "retry-after";

  private static final Logger LOG = LoggerFactory.getLogger(FlightErrors.class);

  private FlightErrors() {}

  /** The exception to hand to gRPC for {@code failure}; unexpected failures are logged here. */
  static FlightRuntimeException toFlight(Throwable failure) {
    if (failure instanceof FlightRuntimeException flight) {
      return flight;
    }
    if (failure instanceof GatewayException gateway) {
      if (gateway.code().category() == ErrorCode.Category.INTERNAL) {
        LOG.warn("Flight SQL call failed: {}", gateway.getMessage(), gateway);
      }
      return status(gateway).toRuntimeException();
    }
    LOG.warn("Flight SQL call failed unexpectedly", failure);
    return status(new GatewayException(ErrorCode.INTERNAL_ERROR, "Internal error; the server log has the details"))
        .toRuntimeException();
  }

  static CallStatus status(GatewayException failure) {
    ErrorFlightMetadata trailers = new ErrorFlightMetadata();
    trailers.insert(SQLSTATE, failure.sqlState());
    trailers.insert(ERROR_CODE, failure.code().name());
    failure.retryAfter().ifPresent(wait -> trailers.insert(RETRY_AFTER_SECONDS, Long.toString(Math.max(1, wait.toSeconds()))));
    return new CallStatus(code(failure.code()), null, "[" + failure.sqlState() + "] " + failure.getMessage(), trailers);
  }

  /** A Flight SQL feature Sluice does not offer (UNIMPLEMENTED, SQLSTATE 0A000). */
  static FlightRuntimeException unsupported(String message) {
    ErrorFlightMetadata trailers = new ErrorFlightMetadata();
    trailers.insert(SQLSTATE, ErrorCode.UNSUPPORTED.sqlState());
    trailers.insert(ERROR_CODE, ErrorCode.UNSUPPORTED.name());
    return new CallStatus(
            FlightStatusCode.UNIMPLEMENTED, null, "[" + ErrorCode.UNSUPPORTED.sqlState() + "] " + message, trailers)
        .toRuntimeException();
  }

  // A switch expression over the enum: a new error code does not compile until it is mapped here.
  static FlightStatusCode code(ErrorCode code) {
    return switch (code) {
      case SYNTAX_ERROR, INVALID_QUERY, NOT_READ_ONLY, UNSUPPORTED, INVALID_PARAMETER -> FlightStatusCode.INVALID_ARGUMENT;
      // A table the caller may not read looks exactly like one that does not exist.
      case UNKNOWN_OBJECT, NO_SUCH_STATEMENT -> FlightStatusCode.NOT_FOUND;
      case AUTHENTICATION_FAILED -> FlightStatusCode.UNAUTHENTICATED;
      case ACCESS_DENIED -> FlightStatusCode.UNAUTHORIZED;
      case QUERY_CANCELED -> FlightStatusCode.CANCELLED;
      case QUERY_TIMEOUT -> FlightStatusCode.TIMED_OUT;
      case RESOURCE_EXHAUSTED -> FlightStatusCode.RESOURCE_EXHAUSTED;
      // The audit log cannot record: nothing may run until it can; a retry later may succeed.
      case WAREHOUSE_UNAVAILABLE, AUDIT_UNAVAILABLE -> FlightStatusCode.UNAVAILABLE;
      case WAREHOUSE_ERROR, CONFIGURATION_ERROR, INTERNAL_ERROR -> FlightStatusCode.INTERNAL;
    };
  }
}
