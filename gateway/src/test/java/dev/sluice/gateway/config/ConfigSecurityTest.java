package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code listeners.http.tls} and {@code auth}. */
class ConfigSecurityTest {
  @TempDir Path directory;

  @Test
  void tlsAndAuthAreOptionalWithDefaults() {
    GatewayConfig config = parse(ConfigLoaderTest.MINIMAL);

    assertThat(config.listeners().http().tls()).isEmpty();
    assertThat(config.auth()).isEqualTo(AuthConfig.defaults());
    assertThat(config.auth())
        .isEqualTo(new AuthConfig(Duration.ofHours(1), 100_000, 5, Duration.ofMinutes(5), Duration.ofMinutes(5)));
  }

  @Test
  void bindsTlsFilesAndAuthSettings() throws Exception {
    Path certificate = Files.writeString(directory.resolve("cert.pem"), "x");
    Path key = Files.writeString(directory.resolve("key.pem"), "x");
    GatewayConfig config = parse("""
        listeners:
          http:
            port: 8443
            tls:
              certificate: %s
              private_key: ${KEY_FILE}
        auth:
          token_ttl: 10m
          max_tokens: 50
          max_failed_logins: 10
          failed_login_window: 60s
          lockout: 15m
        """.formatted(certificate) + ConfigLoaderTest.MINIMAL, Map.of("KEY_FILE", key.toString()));

    assertThat(config.listeners().http())
        .isEqualTo(new HttpListenerConfig("127.0.0.1", 8443, Optional.of(new TlsConfig(certificate, key))));
    assertThat(config.auth())
        .isEqualTo(new AuthConfig(Duration.ofMinutes(10), 50, 10, Duration.ofMinutes(1), Duration.ofMinutes(15)));
  }

  @Test
  void reportsMissingTlsFilesAndBadAuthValuesWithTheirPaths() {
    Path missing = directory.resolve("nope.pem");
    assertThatThrownBy(() -> parse("""
        listeners:
          http:
            tls:
              certificate: %s
              key: x
        auth:
          max_failed_logins: 0
          lockout: 300
          ttl: 3
        """.formatted(missing) + ConfigLoaderTest.MINIMAL, Map.of()))
        .hasMessageContaining("listeners.http.tls.certificate: file " + missing + " does not exist")
        .hasMessageContaining("listeners.http.tls.private_key: is required")
        .hasMessageContaining("listeners.http.tls.key: unknown key")
        .hasMessageContaining("auth.max_failed_logins: must be between 1 and 1000")
        .hasMessageContaining("auth.lockout: expected a duration such as '300s', '5m' or '250ms', got '300'")
        .hasMessageContaining("auth.ttl: unknown key");
  }

  private static GatewayConfig parse(String yaml) {
    return parse(yaml, Map.of());
  }

  private static GatewayConfig parse(String yaml, Map<String, String> variables) {
    return ConfigLoader.parse(yaml, "test.yaml", VariableResolver.of(variables));
  }
}
