package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** Binds {@code listeners}: where each protocol frontend listens. */
final class ListenersBinder {
  private ListenersBinder() {}

  static ListenersConfig bind(ObjectNode root, ConfigReader reader) {
    Optional<ObjectNode> listeners = ConfigReader.field(root, "listeners")
        .flatMap(node -> reader.mapping(node, "listeners", List.of("http")));
    Optional<ObjectNode> http = listeners
        .flatMap(node -> ConfigReader.field(node, "http"))
        .flatMap(node -> reader.mapping(node, "listeners.http", List.of("host", "port")));
    if (http.isEmpty()) {
      return ListenersConfig.defaults();
    }
    String host = reader.optionalString(http.get(), "listeners.http", "host")
        .orElse(HttpListenerConfig.DEFAULT_HOST);
    int port = reader.integer(http.get(), "listeners.http", "port", HttpListenerConfig.DEFAULT_PORT, 0, 65_535);
    return new ListenersConfig(new HttpListenerConfig(host, port));
  }
}
