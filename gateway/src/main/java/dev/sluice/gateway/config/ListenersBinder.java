package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Binds {@code listeners}: where each protocol frontend listens, and with which TLS files. */
final class ListenersBinder {
  private static final String HTTP = "listeners.http";
  private static final String TLS = "listeners.http.tls";

  private ListenersBinder() {}

  static ListenersConfig bind(ObjectNode root, ConfigReader reader) {
    Optional<ObjectNode> listeners = ConfigReader.field(root, "listeners")
        .flatMap(node -> reader.mapping(node, "listeners", List.of("http")));
    Optional<ObjectNode> http = listeners
        .flatMap(node -> ConfigReader.field(node, "http"))
        .flatMap(node -> reader.mapping(node, HTTP, List.of("host", "port", "tls", "cors")));
    if (http.isEmpty()) {
      return ListenersConfig.defaults();
    }
    String host = reader.optionalString(http.get(), HTTP, "host").orElse(HttpListenerConfig.DEFAULT_HOST);
    int port = reader.integer(http.get(), HTTP, "port", HttpListenerConfig.DEFAULT_PORT, 0, 65_535);
    Optional<TlsConfig> tls = ConfigReader.field(http.get(), "tls")
        .flatMap(node -> reader.mapping(node, TLS, List.of("certificate", "private_key")))
        .flatMap(node -> tls(node, reader));
    Optional<CorsConfig> cors = CorsBinder.bind(http.get(), reader);
    return new ListenersConfig(new HttpListenerConfig(host, port, tls, cors));
  }

  private static Optional<TlsConfig> tls(ObjectNode node, ConfigReader reader) {
    Optional<Path> certificate = readableFile(node, "certificate", reader);
    Optional<Path> privateKey = readableFile(node, "private_key", reader);
    if (certificate.isEmpty() || privateKey.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TlsConfig(certificate.get(), privateKey.get()));
  }

  // Only existence is checked here; the contents are parsed when the listener starts, which
  // reports a malformed file with the same key path.
  private static Optional<Path> readableFile(ObjectNode node, String key, ConfigReader reader) {
    String path = ConfigReader.path(TLS, key);
    Optional<String> value = reader.requiredNonBlankString(node, TLS, key);
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
