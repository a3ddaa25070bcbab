package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@code listeners.http.handler_threads}: derived from the limits unless set, and its mistakes. */
class HttpHandlerThreadsConfigTest {
  @Test
  void oneUserAtItsLimitsLeavesThirtyTwoThreadsToEveryoneElse() {
    GatewayConfig config = parse(ConfigLoaderTest.MINIMAL);
    assertThat(config.listeners().http().handlerThreads()).isEmpty();
    // Defaults: 16 running and 16 queued per user.
    assertThat(config.listeners().http().handlerThreadsFor(config.limits())).isEqualTo(64);

    GatewayConfig generous = parse("""
        limits:
          per_user: { max_concurrent_queries: 40, max_queued: 100 }
        """ + ConfigLoaderTest.MINIMAL);
    assertThat(generous.listeners().http().handlerThreadsFor(generous.limits())).isEqualTo(172);

    // A user can never hold more than the global limits allow everybody together.
    LimitsConfig tightGlobal = LimitsConfig.defaults()
        .withGlobal(new LimitConfig(4, 4, Duration.ofSeconds(1)))
        .withPerUser(new LimitConfig(50, 50, Duration.ofSeconds(1)));
    assertThat(HttpListenerConfig.defaults().handlerThreadsFor(tightGlobal)).isEqualTo(40);
  }

  @Test
  void anExplicitNumberWins() {
    GatewayConfig config = parse("listeners: { http: { handler_threads: 48 } }\n" + ConfigLoaderTest.MINIMAL);
    assertThat(config.listeners().http().handlerThreads()).isEqualTo(OptionalInt.of(48));
    assertThat(config.listeners().http().handlerThreadsFor(config.limits())).isEqualTo(48);
  }

  @Test
  void reportsBadValuesWithTheirPaths() {
    assertThatThrownBy(() -> parse("listeners: { http: { handler_threads: 0 } }\n" + ConfigLoaderTest.MINIMAL))
        .hasMessageContaining("listeners.http.handler_threads: must be between 1 and 10000, got 0");
    assertThatThrownBy(() -> parse("listeners: { http: { handler_threads: many } }\n" + ConfigLoaderTest.MINIMAL))
        .hasMessageContaining("listeners.http.handler_threads: expected an integer, got 'many'");
    assertThatThrownBy(() -> parse("listeners: { http: { threads: 8 } }\n" + ConfigLoaderTest.MINIMAL))
        .hasMessageContaining(
            "listeners.http.threads: unknown key (expected one of host, port, tls, cors, handler_threads)");
  }

  private static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", VariableResolver.of(Map.of()));
  }
}
