package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.ViewExpanders;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalIntersect;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalMinus;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;

/**
 * Virtual tables expanded into relational plans, kept so that the next query reading the same
 * table under the same policies does not parse, validate and convert its SQL again (a quarter of
 * planning before this cache). A virtual table's SQL carries the principal's masks and row
 * filters, so the SQL text is the key: two principals share an entry only if they see the same.
 *
 * <p>Plans belong to the planner that optimizes them, so an entry is kept in a cluster of its own
 * whose planner never runs, and each query gets a fresh copy in its own cluster. Only plans made
 * of the operators a view's SQL converts to (scans, projections, filters, joins, aggregates,
 * sorts, set operations, values, uncorrelated sub-queries) are kept; anything else, a correlation
 * variable for one, is expanded anew every time.
 */
final class ExpandedViews {
  private final Cache<List<String>, RelRoot> entries;
  private final RexBuilder rexBuilder;

  ExpandedViews(RelDataTypeFactory typeFactory, long maximumSize) {
    requireNonNull(typeFactory, "typeFactory is null");
    this.entries = CacheBuilder.newBuilder().maximumSize(maximumSize).build();
    this.rexBuilder = new RexBuilder(typeFactory);
  }

  /**
   * The expansion of {@code sql} read from {@code schemaPath}, copied into {@code cluster}: from
   * the cache, or made by {@code expand} (in {@code cluster}) and kept when it can be copied.
   */
  RelRoot expand(
      List<String> schemaPath, String sql, RelOptCluster cluster, Supplier<RelRoot> expand) {
    List<String> key = new ArrayList<>(schemaPath.size() + 1);
    key.addAll(schemaPath);
    key.add(sql);
    RelRoot template = entries.getIfPresent(key);
    if (template != null) {
      // Every template was copied once already; a failure here would be a bug, not a query's.
      return template.withRel(copy(template.rel, cluster).orElseThrow());
    }
    RelRoot expanded = expand.get();
    // A cluster per entry: building a plan asks its cluster's metadata cache, which is not meant
    // for several threads at once.
    RelOptCluster own = RelOptCluster.create(new VolcanoPlanner(), rexBuilder);
    copy(expanded.rel, own).ifPresent(rel -> entries.put(List.copyOf(key), expanded.withRel(rel)));
    return expanded;
  }

  long size() {
    return entries.size();
  }

  /** {@code rel} rebuilt in {@code cluster}, or empty if it holds anything not copied here. */
  static Optional<RelNode> copy(RelNode rel, RelOptCluster cluster) {
    try {
      return Optional.of(new Copier(cluster).copy(rel));
    } catch (NotCopyable e) {
      return Optional.empty();
    }
  }

  private static final class NotCopyable extends RuntimeException {
    NotCopyable() {
      super(null, null, false, false);
    }
  }

  private static final class Copier {
    private final RelOptCluster cluster;
    private final RexShuttle rex =
        new RexShuttle() {
          @Override
          public RexNode visitSubQuery(RexSubQuery subQuery) {
            RexSubQuery operands = (RexSubQuery) super.visitSubQuery(subQuery);
            return operands.clone(copy(subQuery.rel));
          }

          @Override
          public RexNode visitCorrelVariable(RexCorrelVariable variable) {
            // Correlation ids are numbered per cluster; a copy could collide with the query's.
            throw new NotCopyable();
          }
        };

    Copier(RelOptCluster cluster) {
      this.cluster = cluster;
    }

    RelNode copy(RelNode rel) {
      Class<?> type = rel.getClass();
      if (rel instanceof TableScan scan && scan.getInputs().isEmpty()) {
        return scan.getTable().toRel(ViewExpanders.simpleContext(cluster, scan.getHints()));
      } else if (type == LogicalValues.class) {
        LogicalValues values = (LogicalValues) rel;
        return LogicalValues.create(cluster, values.getRowType(), values.getTuples());
      } else if (type == LogicalProject.class) {
        LogicalProject project = (LogicalProject) rel;
        requireUncorrelated(project.getVariablesSet().isEmpty());
        return LogicalProject.create(
            copy(project.getInput()),
            project.getHints(),
            rex.apply(project.getProjects()),
            project.getRowType(),
            Set.of());
      } else if (type == LogicalFilter.class) {
        LogicalFilter filter = (LogicalFilter) rel;
        requireUncorrelated(filter.getVariablesSet().isEmpty());
        return LogicalFilter.create(copy(filter.getInput()), filter.getCondition().accept(rex));
      } else if (type == LogicalJoin.class) {
        LogicalJoin join = (LogicalJoin) rel;
        requireUncorrelated(join.getVariablesSet().isEmpty());
        return LogicalJoin.create(
            copy(join.getLeft()),
            copy(join.getRight()),
            join.getHints(),
            join.getCondition().accept(rex),
            Set.of(),
            join.getJoinType(),
            join.isSemiJoinDone(),
            ImmutableList.copyOf(join.getSystemFieldList()));
      } else if (type == LogicalAggregate.class) {
        LogicalAggregate aggregate = (LogicalAggregate) rel;
        return LogicalAggregate.create(
            copy(aggregate.getInput()),
            aggregate.getHints(),
            aggregate.getGroupSet(),
            aggregate.getGroupSets(),
            aggregate.getAggCallList());
      } else if (type == LogicalSort.class) {
        LogicalSort sort = (LogicalSort) rel;
        return LogicalSort.create(
            copy(sort.getInput()),
            sort.getCollation(),
            sort.offset == null ? null : sort.offset.accept(rex),
            sort.fetch == null ? null : sort.fetch.accept(rex));
      } else if (type == LogicalUnion.class) {
        return LogicalUnion.create(copyAll(rel.getInputs()), ((LogicalUnion) rel).all);
      } else if (type == LogicalIntersect.class) {
        return LogicalIntersect.create(copyAll(rel.getInputs()), ((LogicalIntersect) rel).all);
      } else if (type == LogicalMinus.class) {
        return LogicalMinus.create(copyAll(rel.getInputs()), ((LogicalMinus) rel).all);
      }
      throw new NotCopyable();
    }

    private List<RelNode> copyAll(List<RelNode> inputs) {
      List<RelNode> copies = new ArrayList<>(inputs.size());
      for (RelNode input : inputs) {
        copies.add(copy(input));
      }
      return copies;
    }

    private static void requireUncorrelated(boolean uncorrelated) {
      if (!uncorrelated) {
        throw new NotCopyable();
      }
    }
  }
}
