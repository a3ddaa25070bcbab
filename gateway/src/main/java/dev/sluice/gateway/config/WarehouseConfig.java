package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One configured warehouse: its name in the configuration, its dialect, how many connections it
 * may have open, the dialect's connection settings (such as DuckDB's {@code path}), whether
 * queries touching it must be pushed down whole, and how it is protected (statement limit, queue,
 * connection policy, circuit breaker).
 */
public record WarehouseConfig(
    String name,
    String dialect,
    int poolSize,
    Map<String, String> settings,
    PushdownMode pushdown,
    WarehouseAdmission admission) {
  public WarehouseConfig {
    requireNonNull(name, "name is null");
    requireNonNull(dialect, "dialect is null");
    requireNonNull(pushdown, "pushdown is null");
    requireNonNull(admission, "admission is null");
    // Insertion order is kept so settings print in the order the file lists them.
    settings =
        Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(settings, "settings is null")));
  }

  /** A warehouse running as many statements at once as it has connections, with default protection. */
  public WarehouseConfig(
      String name, String dialect, int poolSize, Map<String, String> settings, PushdownMode pushdown) {
    this(name, dialect, poolSize, settings, pushdown, WarehouseAdmission.defaults(poolSize));
  }

  /** A warehouse with the default {@link PushdownMode#FEDERATED}. */
  public WarehouseConfig(String name, String dialect, int poolSize, Map<String, String> settings) {
    this(name, dialect, poolSize, settings, PushdownMode.FEDERATED);
  }

  public WarehouseConfig withPushdown(PushdownMode newPushdown) {
    return new WarehouseConfig(name, dialect, poolSize, settings, newPushdown, admission);
  }

  public WarehouseConfig withAdmission(WarehouseAdmission newAdmission) {
    return new WarehouseConfig(name, dialect, poolSize, settings, pushdown, newAdmission);
  }

  public WarehouseConfig withPoolSize(int newPoolSize) {
    return new WarehouseConfig(name, dialect, newPoolSize, settings, pushdown, admission);
  }

  public Optional<String> setting(String key) {
    requireNonNull(key, "key is null");
    return Optional.ofNullable(settings.get(key));
  }

  /** Settings may hold credentials (a password from the environment), so only their keys are shown. */
  @Override
  public String toString() {
    return "WarehouseConfig[name=" + name + ", dialect=" + dialect + ", poolSize=" + poolSize
        + ", settings=" + settings.keySet() + ", pushdown=" + pushdown.configName()
        + ", admission=" + admission + "]";
  }
}
