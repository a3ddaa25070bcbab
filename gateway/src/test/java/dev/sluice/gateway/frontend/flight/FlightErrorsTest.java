package dev.sluice.gateway.frontend.flight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;

/** The one mapping from gateway failures to Flight statuses. */
class FlightErrorsTest {
  @Test
  void everyErrorCodeHasItsStatus() {
    Map<ErrorCode, FlightStatusCode> expected = new EnumMap<>(ErrorCode.class);
    expected.put(ErrorCode.SYNTAX_ERROR, FlightStatusCode.INVALID_ARGUMENT);
    expected.put(ErrorCode.UNKNOWN_OBJECT, FlightStatusCode.NOT_FOUND);
    expected.put(ErrorCode.INVALID_QUERY, FlightStatusCode.INVALID_ARGUMENT);
    expected.put(ErrorCode.NOT_READ_ONLY, FlightStatusCode.INVALID_ARGUMENT);
    expected.put(ErrorCode.UNSUPPORTED, FlightStatusCode.INVALID_ARGUMENT);
    expected.put(ErrorCode.INVALID_PARAMETER, FlightStatusCode.INVALID_ARGUMENT);
    expected.put(ErrorCode.NO_SUCH_STATEMENT, FlightStatusCode.NOT_FOUND);
    expected.put(ErrorCode.AUTHENTICATION_FAILED, FlightStatusCode.UNAUTHENTICATED);
    expected.put(ErrorCode.ACCESS_DENIED, FlightStatusCode.UNAUTHORIZED);
    expected.put(ErrorCode.QUERY_CANCELED, FlightStatusCode.CANCELLED);
    expected.put(ErrorCode.QUERY_TIMEOUT, FlightStatusCode.TIMED_OUT);
    expected.put(ErrorCode.RESOURCE_EXHAUSTED, FlightStatusCode.RESOURCE_EXHAUSTED);
    expected.put(ErrorCode.WAREHOUSE_UNAVAILABLE, FlightStatusCode.UNAVAILABLE);
    expected.put(ErrorCode.AUDIT_UNAVAILABLE, FlightStatusCode.UNAVAILABLE);
    expected.put(ErrorCode.WAREHOUSE_ERROR, FlightStatusCode.INTERNAL);
    expected.put(ErrorCode.CONFIGURATION_ERROR, FlightStatusCode.INTERNAL);
    expected.put(ErrorCode.INTERNAL_ERROR, FlightStatusCode.INTERNAL);

    assertThat(expected).hasSize(ErrorCode.values().length);
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(FlightErrors.code(code)).as(code.name()).isEqualTo(expected.get(code));
    }
  }

  @Test
  void theSqlStateLeadsTheMessageAndTravelsInTheTrailers() {
    CallStatus status = FlightErrors.toFlight(
        new GatewayException(ErrorCode.UNKNOWN_OBJECT, "Object 'X' not found", new IllegalStateException("secret")))
        .status();

    assertThat(status.code()).isEqualTo(FlightStatusCode.NOT_FOUND);
    assertThat(status.description()).isEqualTo("[42S02] Object 'X' not found");
    assertThat(status.cause()).isNull();
    assertThat(status.metadata().get(FlightErrors.SQLSTATE)).isEqualTo("42S02");
    assertThat(status.metadata().get(FlightErrors.ERROR_CODE)).isEqualTo("UNKNOWN_OBJECT");
    assertThat(status.metadata().containsKey(FlightErrors.RETRY_AFTER_SECONDS)).isFalse();
  }

  @Test
  void refusalsThatLiftSayWhen() {
    CallStatus status = FlightErrors.toFlight(new GatewayException(
            ErrorCode.AUTHENTICATION_FAILED, "Authentication refused: too many failed attempts", Duration.ofSeconds(90)))
        .status();

    assertThat(status.code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED);
    assertThat(status.metadata().get(FlightErrors.RETRY_AFTER_SECONDS)).isEqualTo("90");
  }

  @Test
  void unexpectedFailuresSayNothingAboutThemselves() {
    CallStatus status =
        FlightErrors.toFlight(new IllegalStateException("password=hunter2 at line 3")).status();

    assertThat(status.code()).isEqualTo(FlightStatusCode.INTERNAL);
    assertThat(status.description()).isEqualTo("[XX000] Internal error; the server log has the details");
    assertThat(status.cause()).isNull();
  }

  @Test
  void flightStatusesPassThroughAndRefusalsAreUnimplemented() {
    FlightRuntimeException original = CallStatus.INVALID_ARGUMENT.withDescription("bad command").toRuntimeException();
    FlightRuntimeException unsupported = FlightErrors.unsupported("Sluice is read-only: updates are not supported");

    assertThat(FlightErrors.toFlight(original)).isSameAs(original);
    assertThat(unsupported.status().code()).isEqualTo(FlightStatusCode.UNIMPLEMENTED);
    assertThat(unsupported.status().description()).isEqualTo("[0A000] Sluice is read-only: updates are not supported");
  }
}
