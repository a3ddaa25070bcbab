package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Binds {@code metrics}: who may scrape {@code /metrics}, and the readiness check interval. */
final class MetricsBinder {
  private static final String PATH = "metrics";

  private MetricsBinder() {}

  static MetricsConfig bind(ObjectNode root, Set<String> knownRoles, ConfigReader reader) {
    Optional<ObjectNode> metrics = ConfigReader.field(root, PATH)
        .flatMap(node -> reader.mapping(node, PATH, List.of("required_role", "readiness_interval")));
    if (metrics.isEmpty()) {
      return MetricsConfig.defaults();
    }
    Optional<String> role = reader.optionalString(metrics.get(), PATH, "required_role");
    if (role.isPresent() && !knownRoles.contains(role.get())) {
      reader.problem(ConfigReader.path(PATH, "required_role"),
          "no user has the role '" + role.get() + "', so nobody could read the metrics");
    }
    Duration interval = reader.duration(
        metrics.get(), PATH, "readiness_interval", MetricsConfig.DEFAULT_READINESS_INTERVAL);
    return new MetricsConfig(role, interval);
  }
}
