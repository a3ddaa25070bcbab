package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.PushdownMode;
import dev.sluice.gateway.config.WarehouseConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The warehouses configured {@code pushdown: strict}: their admins want every query that touches
 * them run by the warehouse alone, never partly evaluated (joined, filtered) in the gateway.
 */
public record StrictPushdown(Set<String> strictWarehouses) {
  public StrictPushdown {
    strictWarehouses = Set.copyOf(requireNonNull(strictWarehouses, "strictWarehouses is null"));
  }

  /** The strict warehouses among {@code warehouses}. */
  public static StrictPushdown of(List<WarehouseConfig> warehouses) {
    Set<String> strict = new TreeSet<>();
    for (WarehouseConfig warehouse : warehouses) {
      if (warehouse.pushdown() == PushdownMode.STRICT) {
        strict.add(warehouse.name());
      }
    }
    return new StrictPushdown(strict);
  }

  public static StrictPushdown none() {
    return new StrictPushdown(Set.of());
  }

  /** Refuses {@code plan} if it reads a strict warehouse and is not one whole pushdown. */
  public void check(QueryPlan plan) {
    requireNonNull(plan, "plan is null");
    if (!(plan.execution() instanceof QueryPlan.Federated)) {
      // Whole pushdowns are what strict asks for; EXPLAIN runs nothing on any warehouse.
      return;
    }
    Set<String> touched = new TreeSet<>();
    plan.pushdowns().forEach(pushdown -> touched.add(pushdown.warehouse()));
    for (String warehouse : touched) {
      if (strictWarehouses.contains(warehouse)) {
        throw new GatewayException(
            ErrorCode.UNSUPPORTED,
            "warehouse " + warehouse + " is configured pushdown: strict and this query needs the gateway to "
                + reason(List.copyOf(touched)) + "; query one warehouse at a time, or set "
                + "warehouses." + warehouse + ".pushdown: federated");
      }
    }
  }

  private static String reason(List<String> touched) {
    if (touched.size() > 1) {
      return "join data from " + String.join(" and ", touched);
    }
    return "evaluate part of it itself (" + touched.get(0) + " cannot run all of it)";
  }
}
