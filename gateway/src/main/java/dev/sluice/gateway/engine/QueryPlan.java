package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.Bindable;

/**
 * A planned, governed query ready to run any number of times with different parameters. Plans are
 * immutable and shared through the plan cache. {@code access} is what the query reads (for the
 * audit log); {@code planningTime} is how long preparing it took for the caller holding this plan.
 * {@code floor} is the minimum group size the plan enforces, when the principal is aggregation-only.
 */
public record QueryPlan(
    String sql,
    List<ResultColumn> columns,
    List<RelDataType> parameterTypes,
    List<Pushdown> pushdowns,
    Execution execution,
    String explainText,
    AccessSummary access,
    Duration planningTime,
    Optional<GroupFloor> floor) {
  public QueryPlan {
    requireNonNull(sql, "sql is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    parameterTypes = List.copyOf(requireNonNull(parameterTypes, "parameterTypes is null"));
    pushdowns = List.copyOf(requireNonNull(pushdowns, "pushdowns is null"));
    requireNonNull(execution, "execution is null");
    requireNonNull(explainText, "explainText is null");
    requireNonNull(access, "access is null");
    requireNonNull(planningTime, "planningTime is null");
    requireNonNull(floor, "floor is null");
  }

  /** This plan as handed to a caller whose preparing took {@code time} (a cache hit takes almost none). */
  public QueryPlan withPlanningTime(Duration time) {
    return new QueryPlan(sql, columns, parameterTypes, pushdowns, execution, explainText, access, time, floor);
  }

  /**
   * The minimum group size a plan enforces; {@code foldedGroups}, when present, is the extra last
   * column its execution returns (not shown to clients): how many groups were folded.
   */
  public record GroupFloor(int minGroupSize, Optional<ResultColumn> foldedGroups) {
    public GroupFloor {
      requireNonNull(foldedGroups, "foldedGroups is null");
    }
  }

  /** The columns the execution produces: the client's, then the folded-groups column if any. */
  public List<ResultColumn> executedColumns() {
    Optional<ResultColumn> hidden = floor.flatMap(GroupFloor::foldedGroups);
    if (hidden.isEmpty()) {
      return columns;
    }
    List<ResultColumn> all = new java.util.ArrayList<>(columns);
    all.add(hidden.get());
    return List.copyOf(all);
  }

  /** SQL that one warehouse runs for this query; {@code parameterOrder} maps its {@code ?}s to the query's. */
  public record Pushdown(String warehouse, String sql, List<Integer> parameterOrder) {
    public Pushdown {
      requireNonNull(warehouse, "warehouse is null");
      requireNonNull(sql, "sql is null");
      parameterOrder = List.copyOf(requireNonNull(parameterOrder, "parameterOrder is null"));
    }
  }

  /** How the plan produces its rows. */
  public sealed interface Execution permits WholePushdown, Federated, Explain {}

  /** The whole query runs in one warehouse: the gateway only streams its rows. */
  public record WholePushdown(Pushdown pushdown) implements Execution {
    public WholePushdown {
      requireNonNull(pushdown, "pushdown is null");
    }
  }

  /**
   * The query spans warehouses: each warehouse runs its pushdown SQL and the gateway evaluates the
   * rest (joins, set operations across warehouses) with Calcite's compiled enumerable code. Queries
   * of the gateway's own tables (audit.query_log) run this way too, with no warehouse at all.
   * {@code stash} holds the objects the compiled code looks up by name at execution (Calcite's
   * internal parameters, such as the plan an interpreted table scan runs).
   */
  public record Federated(Bindable<Object> bindable, Map<String, Object> stash) implements Execution {
    public Federated {
      requireNonNull(bindable, "bindable is null");
      stash = Map.copyOf(requireNonNull(stash, "stash is null"));
    }

    public Federated(Bindable<Object> bindable) {
      this(bindable, Map.of());
    }
  }

  /** {@code EXPLAIN PLAN FOR}: the rows are the lines of {@link #explainText()}. */
  public record Explain() implements Execution {}

  /**
   * The warehouses the plan runs statements on, each once, sorted by name (the order admission
   * takes their slots in); empty for EXPLAIN.
   */
  public List<String> warehouses() {
    if (execution instanceof Explain) {
      return List.of();
    }
    return pushdowns.stream().map(Pushdown::warehouse).distinct().sorted().toList();
  }

  public Optional<Pushdown> wholePushdown() {
    return execution instanceof WholePushdown whole ? Optional.of(whole.pushdown()) : Optional.empty();
  }
}
