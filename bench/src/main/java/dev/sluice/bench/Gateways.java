package dev.sluice.bench;

import dev.sluice.gateway.config.FlightListenerConfig;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.ListenersConfig;
import java.util.Optional;

/** The demo gateway as the harnesses run it: HTTP and Flight SQL on free loopback ports. */
final class Gateways {
  private Gateways() {}

  static GatewayConfig config(GatewayConfig demo) {
    return demo.withListeners(new ListenersConfig(
        new HttpListenerConfig("127.0.0.1", 0),
        new FlightListenerConfig(true, "127.0.0.1", 0, Optional.empty())));
  }
}
