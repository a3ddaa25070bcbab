package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Binds {@code policies}: the policy file, its reload interval and the roles allowed to reload it. */
final class PoliciesBinder {
  private static final String PATH = "policies";
  private static final List<String> KEYS = List.of("file", "reload_interval", "admin_roles");

  private PoliciesBinder() {}

  static PoliciesConfig bind(ObjectNode root, ConfigReader reader) {
    Optional<ObjectNode> policies =
        ConfigReader.field(root, PATH).flatMap(node -> reader.mapping(node, PATH, KEYS));
    if (policies.isEmpty()) {
      return PoliciesConfig.none();
    }
    ObjectNode node = policies.get();
    Optional<String> file = reader.requiredNonBlankString(node, PATH, "file");
    Duration interval = ConfigReader.field(node, "reload_interval")
        .flatMap(value -> reader.duration(value, ConfigReader.path(PATH, "reload_interval")))
        .orElse(PoliciesConfig.DEFAULT_RELOAD_INTERVAL);
    List<String> adminRoles = ConfigReader.field(node, "admin_roles").isPresent()
        ? reader.stringList(node, PATH, "admin_roles").stream()
            .map(ConfigReader.Entry::key)
            .toList()
        : List.of("admin");
    return new PoliciesConfig(file, interval, adminRoles);
  }
}
