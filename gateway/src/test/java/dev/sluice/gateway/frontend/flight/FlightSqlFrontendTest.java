package dev.sluice.gateway.frontend.flight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.auth.Authenticator;
import dev.sluice.gateway.auth.LoginThrottle;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.auth.TokenStore;
import dev.sluice.gateway.config.FlightListenerConfig;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.ListenersConfig;
import dev.sluice.gateway.testing.TestingGateway;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The listener's life: port 0 read back, idempotent start and close, and clear failures. */
@Timeout(120)
class FlightSqlFrontendTest {
  private static final GatewayServer SHARED = TestingGateway.shared();

  @Test
  void startAndCloseAreIdempotentAndPortZeroIsReadBack() {
    FlightSqlFrontend frontend = frontend(new FlightListenerConfig("127.0.0.1", 0));
    assertThatThrownBy(frontend::port).isInstanceOf(IllegalStateException.class);

    frontend.start();
    int port = frontend.port();
    frontend.start();

    assertThat(port).isPositive();
    assertThat(frontend.port()).isEqualTo(port);
    try (FlightTestClient client = FlightTestClient.connect(
        org.apache.arrow.flight.FlightClient.builder()
            .location(org.apache.arrow.flight.Location.forGrpcInsecure("127.0.0.1", port)),
        "admin", "admin-demo")) {
      assertThat(client.query("SELECT 40 + 2")).containsExactly(List.of(42));
    }

    frontend.close();
    frontend.close();
    assertThatThrownBy(frontend::port).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(frontend::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void aPortInUseIsAConfigurationError() {
    FlightSqlFrontend frontend = frontend(new FlightListenerConfig("127.0.0.1", SHARED.flightPort()));
    try {
      assertThatThrownBy(frontend::start)
          .isInstanceOfSatisfying(GatewayException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
          .hasMessageStartingWith("Cannot listen for Flight SQL on 127.0.0.1:" + SHARED.flightPort());
    } finally {
      frontend.close();
    }
  }

  @Test
  void aGatewayWithoutFlightSaysSo() {
    GatewayServer server = new GatewayServer(TestingGateway.demoConfig(
        config -> config.withListeners(new ListenersConfig(new HttpListenerConfig("127.0.0.1", 0)))));
    assertThatThrownBy(server::flightPort).hasMessage("The server is not started");
    try {
      server.start();
      assertThat(server.httpPort()).isPositive();
      assertThatThrownBy(server::flightPort).hasMessage("The Flight SQL listener is disabled");
    } finally {
      server.close();
    }
  }

  private static FlightSqlFrontend frontend(FlightListenerConfig config) {
    RequestAuthenticator authenticator = new RequestAuthenticator(
        new Authenticator(SHARED.config().users()),
        new TokenStore(Duration.ofMinutes(5), 100),
        new LoginThrottle(100, Duration.ofMinutes(1), Duration.ofMinutes(1)));
    return new FlightSqlFrontend(config, SHARED.engine(), authenticator);
  }
}
