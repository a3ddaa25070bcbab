package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds {@code limits}: the global limit, the limit each user has, and per-role limits and query
 * timeouts. Role names are checked against the roles users hold, since a limit on a role nobody
 * has is almost certainly a misspelling.
 */
final class LimitsBinder {
  static final String PATH = "limits";
  private static final String CONCURRENT_QUERIES = "max_concurrent_queries";
  private static final List<String> KEYS = List.of("global", "per_user", "roles");
  private static final List<String> LIMIT_KEYS = List.of(CONCURRENT_QUERIES, "max_queued", "max_queue_wait");
  private static final int MAX_CONCURRENT = 100_000;

  private LimitsBinder() {}

  static LimitsConfig bind(ObjectNode root, Set<String> knownRoles, ConfigReader reader) {
    Optional<ObjectNode> limits = ConfigReader.field(root, PATH).flatMap(node -> reader.mapping(node, PATH, KEYS));
    if (limits.isEmpty()) {
      return LimitsConfig.defaults();
    }
    ObjectNode node = limits.get();
    LimitConfig global = block(node, PATH, "global", LimitsConfig.DEFAULT_GLOBAL, reader);
    LimitConfig perUser = block(node, PATH, "per_user", LimitsConfig.DEFAULT_PER_USER, reader);
    return new LimitsConfig(global, perUser, roles(node, knownRoles, reader));
  }

  private static LimitConfig block(
      ObjectNode parent, String parentPath, String key, LimitConfig defaults, ConfigReader reader) {
    String path = ConfigReader.path(parentPath, key);
    return ConfigReader.field(parent, key)
        .flatMap(value -> reader.mapping(value, path, LIMIT_KEYS))
        .map(value -> limit(value, path, CONCURRENT_QUERIES, defaults, reader))
        .orElse(defaults);
  }

  private static Map<String, RoleLimits> roles(ObjectNode limits, Set<String> knownRoles, ConfigReader reader) {
    String rolesPath = ConfigReader.path(PATH, "roles");
    Map<String, RoleLimits> roles = new LinkedHashMap<>();
    Optional<ObjectNode> node = ConfigReader.field(limits, "roles").flatMap(value -> reader.mapping(value, rolesPath));
    if (node.isEmpty()) {
      return roles;
    }
    List<String> keys = List.of(CONCURRENT_QUERIES, "max_queued", "max_queue_wait", "query_timeout");
    for (ConfigReader.Entry entry : reader.entries(node.get(), rolesPath)) {
      if (!knownRoles.contains(entry.key())) {
        reader.problem(entry.path(), "no user has the role '" + entry.key() + "'");
      }
      reader.mapping(entry.value(), entry.path(), keys).ifPresent(role -> {
        Optional<LimitConfig> concurrency = ConfigReader.field(role, CONCURRENT_QUERIES).isPresent()
            ? Optional.of(limit(role, entry.path(), CONCURRENT_QUERIES, LimitsConfig.DEFAULT_PER_USER, reader))
            : Optional.empty();
        if (concurrency.isEmpty()
            && (ConfigReader.field(role, "max_queued").isPresent()
                || ConfigReader.field(role, "max_queue_wait").isPresent())) {
          reader.problem(ConfigReader.path(entry.path(), CONCURRENT_QUERIES),
              "is required when max_queued or max_queue_wait is given");
        }
        Optional<Duration> timeout = ConfigReader.field(role, "query_timeout")
            .flatMap(value -> reader.duration(value, ConfigReader.path(entry.path(), "query_timeout")));
        roles.put(entry.key(), new RoleLimits(concurrency, timeout));
      });
    }
    return roles;
  }

  /**
   * One limit's three keys under {@code path}, the concurrency under {@code concurrentKey} (which
   * says what is counted: queries or statements); absent keys take {@code defaults}.
   */
  static LimitConfig limit(
      ObjectNode node, String path, String concurrentKey, LimitConfig defaults, ConfigReader reader) {
    int concurrent = reader.integer(node, path, concurrentKey, defaults.maxConcurrent(), 1, MAX_CONCURRENT);
    int queued = reader.integer(node, path, "max_queued", defaults.maxQueued(), 0, MAX_CONCURRENT);
    Duration wait = reader.duration(node, path, "max_queue_wait", defaults.maxQueueWait());
    return new LimitConfig(concurrent, queued, wait);
  }
}
