package dev.sluice.gateway.admission;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.EngineConfig;
import dev.sluice.gateway.config.LimitConfig;
import dev.sluice.gateway.config.LimitsConfig;
import dev.sluice.gateway.config.RoleLimits;
import dev.sluice.gateway.config.WarehouseConfig;
import dev.sluice.policies.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a query may run now: the circuit breakers of the warehouses it touches, then the
 * global limit, its principal's role limits, the user's own limit and each warehouse's statement
 * limit, always in that order (roles and warehouses by name) so that two queries can never hold
 * slots the other waits for. Also knows each principal's query timeout.
 */
public final class Admission {
  private static final int UNLIMITED = Integer.MAX_VALUE / 2;
  private final Duration defaultTimeout;
  private final LimitsConfig limits;
  private final AdmissionListener listener;
  private final ConcurrencyLimit global;
  private final Map<String, ConcurrencyLimit> roles;
  private final Map<String, ConcurrencyLimit> users = new ConcurrentHashMap<>();
  private final Map<String, ConcurrencyLimit> warehouses;
  private final Map<String, WarehouseBreaker> breakers;

  public Admission(
      LimitsConfig limits, List<WarehouseConfig> warehouseConfigs, EngineConfig engine, AdmissionListener listener) {
    this.limits = requireNonNull(limits, "limits is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.defaultTimeout = requireNonNull(engine, "engine is null").queryTimeout();
    this.global = new ConcurrencyLimit(
        LimitKind.GLOBAL, Optional.empty(), "The gateway", "concurrent queries", limits.global(), listener);
    Map<String, ConcurrencyLimit> roleLimits = new LinkedHashMap<>();
    limits.roles().forEach((role, config) -> config.concurrency().ifPresent(limit -> roleLimits.put(
        role,
        new ConcurrencyLimit(LimitKind.ROLE, Optional.empty(), "Role '" + role + "'", "concurrent queries", limit, listener))));
    this.roles = Collections.unmodifiableMap(roleLimits);
    Map<String, ConcurrencyLimit> warehouseLimits = new LinkedHashMap<>();
    Map<String, WarehouseBreaker> warehouseBreakers = new LinkedHashMap<>();
    for (WarehouseConfig warehouse : warehouseConfigs) {
      warehouseLimits.put(warehouse.name(), new ConcurrencyLimit(
          LimitKind.WAREHOUSE,
          Optional.of(warehouse.name()),
          "Warehouse '" + warehouse.name() + "'",
          "concurrent statements",
          warehouse.admission().limit(),
          listener));
      warehouseBreakers.put(
          warehouse.name(), new WarehouseBreaker(warehouse.name(), warehouse.admission().circuitBreaker(), listener));
    }
    this.warehouses = Collections.unmodifiableMap(warehouseLimits);
    this.breakers = Collections.unmodifiableMap(warehouseBreakers);
  }

  /**
   * Admission that never waits or refuses and has no breakers: for engines built without a server,
   * such as in tools and tests; queries run with the engine's timeout.
   */
  public static Admission unlimited(EngineConfig engine) {
    LimitConfig unbounded = new LimitConfig(UNLIMITED, 0, LimitConfig.DEFAULT_MAX_QUEUE_WAIT);
    return new Admission(new LimitsConfig(unbounded, unbounded, Map.of()), List.of(), engine, AdmissionListener.NONE);
  }

  /**
   * Admits a query of {@code principal} touching {@code warehouseNames}, waiting in line where a
   * limit is full; the ticket must be released when the query ends, however it ends.
   *
   * @throws GatewayException {@link ErrorCode#WAREHOUSE_UNAVAILABLE} at once while a breaker is
   *     open, {@link ErrorCode#RESOURCE_EXHAUSTED} when a queue is full or a wait expires
   */
  public AdmissionTicket admit(Principal principal, List<String> warehouseNames) {
    requireNonNull(principal, "principal is null");
    List<String> ordered = List.copyOf(new TreeSet<>(warehouseNames));
    Map<String, WarehouseBreaker> passed = new TreeMap<>();
    List<ConcurrencyLimit.Permit> permits = new ArrayList<>();
    try {
      // Breakers first: a query to a warehouse that is down must not wait in any queue.
      for (String warehouse : ordered) {
        WarehouseBreaker breaker = breakers.get(warehouse);
        if (breaker != null) {
          breaker.acquire();
          passed.put(warehouse, breaker);
        }
      }
      permits.add(global.acquire());
      for (String role : new TreeSet<>(principal.roles())) {
        ConcurrencyLimit limit = roles.get(role);
        if (limit != null) {
          permits.add(limit.acquire());
        }
      }
      permits.add(userLimit(principal.user()).acquire());
      for (String warehouse : ordered) {
        ConcurrencyLimit limit = warehouses.get(warehouse);
        if (limit != null) {
          permits.add(limit.acquire());
        }
      }
      return new AdmissionTicket(permits, passed);
    } catch (RuntimeException e) {
      for (int i = permits.size() - 1; i >= 0; i--) {
        permits.get(i).release();
      }
      passed.values().forEach(WarehouseBreaker::released);
      throw e;
    }
  }

  private ConcurrencyLimit userLimit(String user) {
    return users.computeIfAbsent(user, name -> new ConcurrencyLimit(
        LimitKind.USER, Optional.empty(), "User '" + name + "'", "concurrent queries", limits.perUser(), listener));
  }

  /**
   * How long {@code principal}'s queries may run: the longest timeout among its roles' ({@code
   * limits.roles.<role>.query_timeout}), or the engine's when none of its roles sets one.
   */
  public Duration queryTimeout(Principal principal) {
    requireNonNull(principal, "principal is null");
    return principal.roles().stream()
        .map(limits.roles()::get)
        .filter(java.util.Objects::nonNull)
        .map(RoleLimits::queryTimeout)
        .flatMap(Optional::stream)
        .max(Duration::compareTo)
        .orElse(defaultTimeout);
  }

  /** The warehouses admission knows, in configuration order. */
  public List<String> warehouses() {
    return List.copyOf(warehouses.keySet());
  }

  /** How busy one warehouse is right now, and the state of its breaker. */
  public Optional<WarehouseLoad> load(String warehouse) {
    ConcurrencyLimit limit = warehouses.get(warehouse);
    WarehouseBreaker breaker = breakers.get(warehouse);
    if (limit == null || breaker == null) {
      return Optional.empty();
    }
    return Optional.of(new WarehouseLoad(
        warehouse, limit.running(), limit.queued(), limit.config().maxConcurrent(), breaker.state()));
  }

  /** Queries running and queued at the global limit. */
  public int running() {
    return global.running();
  }

  public int queued() {
    return global.queued();
  }

  /** One warehouse's statements running and waiting, its limit, and its breaker's state. */
  public record WarehouseLoad(String warehouse, int running, int queued, int limit, String breakerState) {
    public WarehouseLoad {
      requireNonNull(warehouse, "warehouse is null");
      requireNonNull(breakerState, "breakerState is null");
    }
  }
}
