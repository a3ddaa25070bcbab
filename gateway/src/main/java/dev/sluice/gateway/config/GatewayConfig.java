package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import dev.sluice.policies.UserAccount;
import java.util.List;
import java.util.Optional;

/** The whole gateway configuration, validated: what one YAML file describes. */
public record GatewayConfig(
    ListenersConfig listeners,
    AuthConfig auth,
    EngineConfig engine,
    List<WarehouseConfig> warehouses,
    VirtualSchemaConfig schema,
    List<UserAccount> users,
    PoliciesConfig policies,
    LimitsConfig limits,
    MetricsConfig metrics,
    AuditConfig audit) {

  public GatewayConfig {
    requireNonNull(listeners, "listeners is null");
    requireNonNull(auth, "auth is null");
    requireNonNull(engine, "engine is null");
    warehouses = List.copyOf(requireNonNull(warehouses, "warehouses is null"));
    requireNonNull(schema, "schema is null");
    users = List.copyOf(requireNonNull(users, "users is null"));
    requireNonNull(policies, "policies is null");
    requireNonNull(limits, "limits is null");
    requireNonNull(metrics, "metrics is null");
    requireNonNull(audit, "audit is null");
  }

  /** A configuration with the default {@link AuditConfig} (enabled, in {@code ./audit}). */
  public GatewayConfig(
      ListenersConfig listeners,
      AuthConfig auth,
      EngineConfig engine,
      List<WarehouseConfig> warehouses,
      VirtualSchemaConfig schema,
      List<UserAccount> users,
      PoliciesConfig policies,
      LimitsConfig limits,
      MetricsConfig metrics) {
    this(listeners, auth, engine, warehouses, schema, users, policies, limits, metrics, AuditConfig.defaults());
  }

  /** A configuration with the default {@link LimitsConfig} and {@link MetricsConfig}. */
  public GatewayConfig(
      ListenersConfig listeners,
      AuthConfig auth,
      EngineConfig engine,
      List<WarehouseConfig> warehouses,
      VirtualSchemaConfig schema,
      List<UserAccount> users,
      PoliciesConfig policies,
      AuditConfig audit) {
    this(listeners, auth, engine, warehouses, schema, users, policies, LimitsConfig.defaults(),
        MetricsConfig.defaults(), audit);
  }

  /** A configuration with the default limits, metrics and audit settings. */
  public GatewayConfig(
      ListenersConfig listeners,
      AuthConfig auth,
      EngineConfig engine,
      List<WarehouseConfig> warehouses,
      VirtualSchemaConfig schema,
      List<UserAccount> users,
      PoliciesConfig policies) {
    this(listeners, auth, engine, warehouses, schema, users, policies, AuditConfig.defaults());
  }

  /** A configuration with the default {@link AuthConfig} and no policy file. */
  public GatewayConfig(
      ListenersConfig listeners,
      EngineConfig engine,
      List<WarehouseConfig> warehouses,
      VirtualSchemaConfig schema,
      List<UserAccount> users) {
    this(listeners, AuthConfig.defaults(), engine, warehouses, schema, users, PoliciesConfig.none());
  }

  public GatewayConfig withListeners(ListenersConfig newListeners) {
    return new GatewayConfig(newListeners, auth, engine, warehouses, schema, users, policies, limits, metrics, audit);
  }

  public GatewayConfig withAuth(AuthConfig newAuth) {
    return new GatewayConfig(listeners, newAuth, engine, warehouses, schema, users, policies, limits, metrics, audit);
  }

  public GatewayConfig withEngine(EngineConfig newEngine) {
    return new GatewayConfig(listeners, auth, newEngine, warehouses, schema, users, policies, limits, metrics, audit);
  }

  public GatewayConfig withWarehouses(List<WarehouseConfig> newWarehouses) {
    return new GatewayConfig(listeners, auth, engine, newWarehouses, schema, users, policies, limits, metrics, audit);
  }

  public GatewayConfig withPolicies(PoliciesConfig newPolicies) {
    return new GatewayConfig(listeners, auth, engine, warehouses, schema, users, newPolicies, limits, metrics, audit);
  }

  public GatewayConfig withLimits(LimitsConfig newLimits) {
    return new GatewayConfig(listeners, auth, engine, warehouses, schema, users, policies, newLimits, metrics, audit);
  }

  public GatewayConfig withMetrics(MetricsConfig newMetrics) {
    return new GatewayConfig(listeners, auth, engine, warehouses, schema, users, policies, limits, newMetrics, audit);
  }

  public GatewayConfig withAudit(AuditConfig newAudit) {
    return new GatewayConfig(listeners, auth, engine, warehouses, schema, users, policies, limits, metrics, newAudit);
  }

  /** {@code name}'s configuration replaced by {@code change} of it; for tests and tools. */
  public GatewayConfig withWarehouse(String name, java.util.function.UnaryOperator<WarehouseConfig> change) {
    requireNonNull(change, "change is null");
    return withWarehouses(warehouses.stream()
        .map(warehouse -> warehouse.name().equals(name) ? change.apply(warehouse) : warehouse)
        .toList());
  }

  public Optional<WarehouseConfig> warehouse(String name) {
    requireNonNull(name, "name is null");
    return warehouses.stream().filter(warehouse -> warehouse.name().equals(name)).findFirst();
  }

  public Optional<UserAccount> user(String name) {
    requireNonNull(name, "name is null");
    return users.stream().filter(user -> user.name().equals(name)).findFirst();
  }
}
