package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code listeners.flight}: defaults, explicit settings, TLS files, and every mistake with its key path. */
class FlightListenerConfigTest {
  @TempDir Path directory;

  @Test
  void isOnByDefaultOnLoopbackPort32010() {
    GatewayConfig config = parse(ConfigLoaderTest.MINIMAL);

    assertThat(config.listeners().flight())
        .isEqualTo(new FlightListenerConfig(true, "127.0.0.1", 32010, Optional.empty()))
        .isEqualTo(FlightListenerConfig.defaults());
    assertThat(parse("listeners: { http: { port: 9000 } }\n" + ConfigLoaderTest.MINIMAL).listeners().flight())
        .isEqualTo(FlightListenerConfig.defaults());
  }

  @Test
  void bindsHostPortEnabledAndTls() throws Exception {
    Path certificate = Files.writeString(directory.resolve("cert.pem"), "x");
    Path key = Files.writeString(directory.resolve("key.pem"), "x");
    GatewayConfig config = parse("""
        listeners:
          flight:
            host: 0.0.0.0
            port: ${FLIGHT_PORT}
            tls:
              certificate: %s
              private_key: %s
        """.formatted(certificate, key) + ConfigLoaderTest.MINIMAL, Map.of("FLIGHT_PORT", "0"));

    assertThat(config.listeners().flight())
        .isEqualTo(new FlightListenerConfig(true, "0.0.0.0", 0, Optional.of(new TlsConfig(certificate, key))));
    assertThat(config.listeners().http()).isEqualTo(HttpListenerConfig.defaults());
    assertThat(parse("listeners: { flight: { enabled: false } }\n" + ConfigLoaderTest.MINIMAL).listeners().flight())
        .isEqualTo(new FlightListenerConfig(false, "127.0.0.1", 32010, Optional.empty()));
  }

  @Test
  void reportsBadValuesWithTheirPaths() {
    Path missing = directory.resolve("nope.pem");
    assertThatThrownBy(() -> parse("""
        listeners:
          flight:
            enabled: maybe
            host: [a]
            port: 65536
            tls:
              certificate: %s
              key: x
        """.formatted(missing) + ConfigLoaderTest.MINIMAL, Map.of()))
        .hasMessageContaining("listeners.flight.enabled: expected true or false, got 'maybe'")
        .hasMessageContaining("listeners.flight.host: expected a string, got a list")
        .hasMessageContaining("listeners.flight.port: must be between 0 and 65535, got 65536")
        .hasMessageContaining("listeners.flight.tls.key: unknown key (expected one of certificate, private_key)")
        .hasMessageContaining("listeners.flight.tls.certificate: file " + missing + " does not exist")
        .hasMessageContaining("listeners.flight.tls.private_key: is required");
    assertThatThrownBy(() -> parse("listeners: { flight: { port: -1 } }\n" + ConfigLoaderTest.MINIMAL, Map.of()))
        .hasMessageContaining("listeners.flight.port: must be between 0 and 65535, got -1");
    assertThatThrownBy(() -> parse("listeners: { flight: { port: abc, extra: 1 } }\n" + ConfigLoaderTest.MINIMAL, Map.of()))
        .hasMessageContaining("listeners.flight.extra: unknown key (expected one of enabled, host, port, tls)")
        .hasMessageContaining("listeners.flight.port: expected an integer, got 'abc'");
  }

  @Test
  void refusesTheHttpPortUnlessZeroOrDisabled() {
    assertThatThrownBy(() -> parse(
        "listeners: { http: { port: 9000 }, flight: { port: 9000 } }\n" + ConfigLoaderTest.MINIMAL, Map.of()))
        .hasMessageContaining(
            "listeners.flight.port: is also listeners.http.port (9000); each listener needs a port of its own");

    assertThat(parse("listeners: { http: { port: 0 }, flight: { port: 0 } }\n" + ConfigLoaderTest.MINIMAL)
            .listeners().flight().port())
        .isZero();
    assertThat(parse("listeners: { http: { port: 9000 }, flight: { port: 9000, enabled: false } }\n"
            + ConfigLoaderTest.MINIMAL).listeners().flight().enabled())
        .isFalse();
  }

  @Test
  void codeThatOnlyKnowsHttpGetsNoFlightListener() {
    ListenersConfig httpOnly = new ListenersConfig(new HttpListenerConfig("127.0.0.1", 0));

    assertThat(httpOnly.flight().enabled()).isFalse();
    assertThat(ListenersConfig.defaults().flight()).isEqualTo(FlightListenerConfig.defaults());
  }

  private static GatewayConfig parse(String yaml) {
    return parse(yaml, Map.of());
  }

  private static GatewayConfig parse(String yaml, Map<String, String> variables) {
    return ConfigLoader.parse(yaml, "test.yaml", VariableResolver.of(variables));
  }
}
