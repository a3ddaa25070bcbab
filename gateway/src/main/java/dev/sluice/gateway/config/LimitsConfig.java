package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway-wide admission limits ({@code limits}): one for all queries together, one that each
 * user has on their own, and optional ones per role, shared by every holder of the role. Warehouse
 * limits belong to each warehouse ({@link WarehouseAdmission}).
 */
public record LimitsConfig(LimitConfig global, LimitConfig perUser, Map<String, RoleLimits> roles) {
  public static final LimitConfig DEFAULT_GLOBAL = new LimitConfig(256, 16, LimitConfig.DEFAULT_MAX_QUEUE_WAIT);
  public static final LimitConfig DEFAULT_PER_USER = new LimitConfig(16, 16, LimitConfig.DEFAULT_MAX_QUEUE_WAIT);

  public LimitsConfig {
    requireNonNull(global, "global is null");
    requireNonNull(perUser, "perUser is null");
    roles = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(roles, "roles is null")));
  }

  public static LimitsConfig defaults() {
    return new LimitsConfig(DEFAULT_GLOBAL, DEFAULT_PER_USER, Map.of());
  }

  public LimitsConfig withGlobal(LimitConfig newGlobal) {
    return new LimitsConfig(newGlobal, perUser, roles);
  }

  public LimitsConfig withPerUser(LimitConfig newPerUser) {
    return new LimitsConfig(global, newPerUser, roles);
  }

  public LimitsConfig withRole(String role, RoleLimits limits) {
    Map<String, RoleLimits> newRoles = new LinkedHashMap<>(roles);
    newRoles.put(requireNonNull(role, "role is null"), requireNonNull(limits, "limits is null"));
    return new LimitsConfig(global, perUser, newRoles);
  }

  /** A convenience for tests: a role's timeout with no concurrency limit. */
  public LimitsConfig withRoleTimeout(String role, Duration timeout) {
    return withRole(role, new RoleLimits(java.util.Optional.empty(), java.util.Optional.of(timeout)));
  }
}
