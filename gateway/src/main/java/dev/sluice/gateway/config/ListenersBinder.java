package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Binds {@code listeners}: where each protocol frontend listens, and with which TLS files. */
final class ListenersBinder {
  private static final String HTTP = "listeners.http";
  private static final String FLIGHT = "listeners.flight";

  private ListenersBinder() {}

  static ListenersConfig bind(ObjectNode root, ConfigReader reader) {
    Optional<ObjectNode> listeners = ConfigReader.field(root, "listeners")
        .flatMap(node -> reader.mapping(node, "listeners", List.of("http", "flight")));
    HttpListenerConfig http = listeners
        .flatMap(node -> ConfigReader.field(node, "http"))
        .flatMap(node -> reader.mapping(node, HTTP, List.of("host", "port", "tls", "cors", "handler_threads")))
        .map(node -> http(node, reader))
        .orElse(HttpListenerConfig.defaults());
    FlightListenerConfig flight = listeners
        .flatMap(node -> ConfigReader.field(node, "flight"))
        .flatMap(node -> reader.mapping(node, FLIGHT, List.of("enabled", "host", "port", "tls")))
        .map(node -> flight(node, reader))
        .orElse(FlightListenerConfig.defaults());
    // Port 0 is always free to share: each listener gets a port of its own from the system.
    if (flight.enabled() && flight.port() != 0 && flight.port() == http.port()) {
      reader.problem(ConfigReader.path(FLIGHT, "port"), "is also " + HTTP + ".port (" + http.port()
          + "); each listener needs a port of its own");
    }
    return new ListenersConfig(http, flight);
  }

  private static HttpListenerConfig http(ObjectNode node, ConfigReader reader) {
    String host = reader.optionalString(node, HTTP, "host").orElse(HttpListenerConfig.DEFAULT_HOST);
    int port = reader.integer(node, HTTP, "port", HttpListenerConfig.DEFAULT_PORT, 0, 65_535);
    OptionalInt handlerThreads = ConfigReader.field(node, "handler_threads").isPresent()
        ? OptionalInt.of(reader.integer(
            node, HTTP, "handler_threads", 1, 1, HttpListenerConfig.MAX_HANDLER_THREADS))
        : OptionalInt.empty();
    return new HttpListenerConfig(
        host, port, tls(node, HTTP, reader), CorsBinder.bind(node, reader), handlerThreads);
  }

  private static FlightListenerConfig flight(ObjectNode node, ConfigReader reader) {
    boolean enabled = reader.bool(node, FLIGHT, "enabled", true);
    String host = reader.optionalString(node, FLIGHT, "host").orElse(FlightListenerConfig.DEFAULT_HOST);
    int port = reader.integer(node, FLIGHT, "port", FlightListenerConfig.DEFAULT_PORT, 0, 65_535);
    return new FlightListenerConfig(enabled, host, port, tls(node, FLIGHT, reader));
  }

  private static Optional<TlsConfig> tls(ObjectNode listener, String listenerPath, ConfigReader reader) {
    String path = ConfigReader.path(listenerPath, "tls");
    return ConfigReader.field(listener, "tls")
        .flatMap(node -> reader.mapping(node, path, List.of("certificate", "private_key")))
        .flatMap(node -> tlsFiles(node, path, reader));
  }

  private static Optional<TlsConfig> tlsFiles(ObjectNode node, String path, ConfigReader reader) {
    Optional<Path> certificate = readableFile(node, path, "certificate", reader);
    Optional<Path> privateKey = readableFile(node, path, "private_key", reader);
    if (certificate.isEmpty() || privateKey.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TlsConfig(certificate.get(), privateKey.get()));
  }

  // Only existence is checked here; the contents are parsed when the listener starts, which
  // reports a malformed file with the same key path.
  private static Optional<Path> readableFile(ObjectNode node, String parent, String key, ConfigReader reader) {
    String path = ConfigReader.path(parent, key);
    Optional<String> value = reader.requiredNonBlankString(node, parent, key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Path file;
    try {
      file = Path.of(value.get()).toAbsolutePath();
    } catch (InvalidPathException e) {
      reader.problem(path, "invalid path '" + value.get() + "'");
      return Optional.empty();
    }
    if (!Files.isRegularFile(file)) {
      reader.problem(path, "file " + file + " does not exist");
      return Optional.empty();
    }
    if (!Files.isReadable(file)) {
      reader.problem(path, "file " + file + " is not readable");
      return Optional.empty();
    }
    return Optional.of(file);
  }
}
