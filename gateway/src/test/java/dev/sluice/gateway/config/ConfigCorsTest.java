package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code listeners.http.cors}: off unless configured; origins and max_age checked with their paths. */
class ConfigCorsTest {
  @Test
  void corsIsOffUnlessConfigured() {
    assertThat(parse(ConfigLoaderTest.MINIMAL, Map.of()).listeners().http().cors()).isEmpty();
  }

  @Test
  void bindsOriginsAndMaxAge() {
    GatewayConfig config = parse("""
        listeners:
          http:
            cors:
              allowed_origins: [https://CDP.example.com, "http://localhost:5173", "${UI_ORIGIN}"]
              max_age: 1h
        """ + ConfigLoaderTest.MINIMAL, Map.of("UI_ORIGIN", "https://ui.example.org:8443"));

    CorsConfig cors = config.listeners().http().cors().orElseThrow();
    assertThat(cors)
        .isEqualTo(new CorsConfig(
            List.of("https://cdp.example.com", "http://localhost:5173", "https://ui.example.org:8443"),
            Duration.ofHours(1)));
    assertThat(cors.allows("https://cdp.example.com")).isTrue();
    assertThat(cors.allows("HTTPS://CDP.EXAMPLE.COM")).isTrue();
    assertThat(cors.allows("https://cdp.example.com:444")).isFalse();
    assertThat(cors.allows("https://evil.example.net")).isFalse();
  }

  @Test
  void anyOriginAndTheDefaultMaxAge() {
    GatewayConfig config = parse("""
        listeners:
          http:
            cors:
              allowed_origins: ["*"]
        """ + ConfigLoaderTest.MINIMAL, Map.of());

    CorsConfig cors = config.listeners().http().cors().orElseThrow();
    assertThat(cors.maxAge()).isEqualTo(Duration.ofMinutes(10));
    assertThat(cors.allows("https://anything.example")).isTrue();
  }

  @Test
  void reportsEveryMistakeWithItsPath() {
    assertThatThrownBy(() -> parse("""
        listeners:
          http:
            cors:
              allowed_origins: ["https://cdp.example.com/", "cdp.example.com", "https://ok.example.com"]
              max_age: 600
              allow_credentials: true
        """ + ConfigLoaderTest.MINIMAL, Map.of()))
        .hasMessageContaining("listeners.http.cors.allowed_origins[0]: expected an origin such as")
        .hasMessageContaining("got 'https://cdp.example.com/'")
        .hasMessageContaining("listeners.http.cors.allowed_origins[1]: expected an origin")
        .hasMessageContaining("listeners.http.cors.max_age: expected a duration")
        .hasMessageContaining("listeners.http.cors.allow_credentials: unknown key");
  }

  @Test
  void anEmptyOrMissingOriginListIsAMistake() {
    assertThatThrownBy(() -> parse("""
        listeners:
          http:
            cors:
              allowed_origins: []
        """ + ConfigLoaderTest.MINIMAL, Map.of()))
        .hasMessageContaining("listeners.http.cors.allowed_origins: at least one origin is required");
    assertThatThrownBy(() -> parse("""
        listeners:
          http:
            cors:
              max_age: 5m
        """ + ConfigLoaderTest.MINIMAL, Map.of()))
        .hasMessageContaining("listeners.http.cors.allowed_origins: is required");
    assertThatThrownBy(() -> parse("""
        listeners:
          http:
            cors:
              allowed_origins: https://cdp.example.com
        """ + ConfigLoaderTest.MINIMAL, Map.of()))
        .hasMessageContaining("listeners.http.cors.allowed_origins: expected a list");
  }

  @Test
  void theDemoConfigurationLeavesCorsOff() {
    GatewayConfig demo = ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", "/tmp/sluice-demo")));

    assertThat(demo.listeners().http().cors()).isEqualTo(Optional.empty());
  }

  private static GatewayConfig parse(String yaml, Map<String, String> variables) {
    return ConfigLoader.parse(yaml, "test.yaml", VariableResolver.of(variables));
  }
}
