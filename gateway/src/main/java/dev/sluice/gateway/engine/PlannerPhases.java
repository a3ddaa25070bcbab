package dev.sluice.gateway.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.adapter.jdbc.JdbcTable;
import org.apache.calcite.plan.RelOptCostImpl;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.volcano.AbstractConverter;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.metadata.ChainedRelMetadataProvider;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.DateRangeRules;
import org.apache.calcite.rel.rules.PruneEmptyRules;
import org.apache.calcite.rel.rules.SortProjectTransposeRule;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

/**
 * How a query is optimized: first the logical rewrites, applied once and in place (heuristic
 * planner), then a small cost-based search that only decides where each operator runs (which
 * warehouse, or the gateway) and how the gateway runs its part (hash or merge join, which side is
 * built).
 *
 * <p>Calcite's default is one cost-based search over every rule, logical rewrites included: each
 * rewrite then adds alternatives that are costed in every convention (each warehouse and the
 * gateway), and join reordering multiplies them. Planning {@code mia}'s corpus queries (her row
 * filters join two warehouses) took 7.4 ms a query that way, 3.8 ms this way. The rewrites below
 * always improve a plan (filters and projections move towards the warehouses, empty inputs and
 * redundant operators go), so they need no costing. What is left to the cost-based search is what
 * does need costs: the conventions, join commutation (which side a hash join builds, hash or merge
 * join), and whether an aggregate the gateway runs is split (distinct aggregates, AVG).
 *
 * <p>Joins of three or more tables keep their written order, as the rules that reorder them are
 * gone; they made the search grow with every join.
 */
final class PlannerPhases {
  /**
   * Moves a sort below a projection where the gateway will run both, that is where the
   * projection's input reads more than one warehouse (or a table of the gateway's own), so that a
   * sort over a projection of a merge join goes, the join's output being sorted already. Without
   * it, a federated {@code ORDER BY ... LIMIT 100} over a merge join sorted the whole join before
   * its first row instead of stopping after 100 rows ({@code audience_profile_page} as admin:
   * 19 ms became 191 ms). Pushed down, the same move would put the warehouse's ORDER BY inside a
   * derived table, whose order SQL does not promise to keep, so single-warehouse inputs are left
   * alone.
   */
  static final RelOptRule GATEWAY_SORT_PROJECT_TRANSPOSE =
      SortProjectTransposeRule.Config.DEFAULT
          .withOperandSupplier(sort -> sort.operand(Sort.class).oneInput(project ->
              project.operand(LogicalProject.class)
                  .predicate(p -> readsSeveralSources(p.getInput()))
                  .anyInputs()))
          .as(SortProjectTransposeRule.Config.class)
          .toRule();

  /** Logical rewrites that always pay: applied to a fixpoint by a heuristic planner. */
  static final List<RelOptRule> REWRITES =
      List.of(
          CoreRules.FILTER_INTO_JOIN,
          CoreRules.JOIN_CONDITION_PUSH,
          CoreRules.JOIN_PUSH_EXPRESSIONS,
          CoreRules.FILTER_PROJECT_TRANSPOSE,
          CoreRules.FILTER_AGGREGATE_TRANSPOSE,
          CoreRules.FILTER_WINDOW_TRANSPOSE,
          CoreRules.FILTER_MERGE,
          CoreRules.FILTER_REDUCE_EXPRESSIONS,
          DateRangeRules.FILTER_INSTANCE,
          CoreRules.PROJECT_MERGE,
          CoreRules.PROJECT_REMOVE,
          CoreRules.PROJECT_OVER_SUM_TO_SUM0_RULE,
          CoreRules.AGGREGATE_PROJECT_MERGE,
          CoreRules.AGGREGATE_REMOVE,
          CoreRules.AGGREGATE_CASE_TO_FILTER,
          CoreRules.AGGREGATE_ANY_PULL_UP_CONSTANTS,
          CoreRules.UNION_PULL_UP_CONSTANTS,
          CoreRules.UNION_MERGE,
          CoreRules.INTERSECT_MERGE,
          CoreRules.MINUS_MERGE,
          CoreRules.SORT_REMOVE,
          CoreRules.SORT_REMOVE_CONSTANT_KEYS,
          GATEWAY_SORT_PROJECT_TRANSPOSE,
          PruneEmptyRules.UNION_INSTANCE,
          PruneEmptyRules.PROJECT_INSTANCE,
          PruneEmptyRules.FILTER_INSTANCE,
          PruneEmptyRules.SORT_INSTANCE,
          PruneEmptyRules.AGGREGATE_INSTANCE,
          PruneEmptyRules.JOIN_LEFT_INSTANCE,
          PruneEmptyRules.JOIN_RIGHT_INSTANCE);

  /** Whether {@code rel} reads tables of more than one warehouse, or a table of the gateway's. */
  static boolean readsSeveralSources(RelNode rel) {
    Set<String> sources = sourcesRead(rel);
    return sources.size() > 1 || sources.contains(GATEWAY);
  }

  /** Whether every table {@code rel} reads is a table of one and the same warehouse. */
  static boolean readsOneWarehouse(RelNode rel) {
    Set<String> sources = sourcesRead(rel);
    return sources.size() == 1 && !sources.contains(GATEWAY);
  }

  /** Stands for the gateway's own tables among the warehouses' names in {@link #sourcesRead}. */
  private static final String GATEWAY = "";

  /**
   * The warehouses whose tables {@code rel} reads, and {@link #GATEWAY} if it reads one of the
   * gateway's own; works on plain plans and on the heuristic and cost-based planners' vertices.
   */
  private static Set<String> sourcesRead(RelNode rel) {
    Set<String> sources = new HashSet<>();
    addSources(rel, sources);
    return sources;
  }

  private static void addSources(RelNode rel, Set<String> sources) {
    RelNode node = rel.stripped();
    if (node instanceof TableScan scan) {
      sources.add(scan.getTable().unwrap(JdbcTable.class) == null
          ? GATEWAY
          : scan.getTable().getQualifiedName().get(0));
    }
    for (RelNode input : node.getInputs()) {
      addSources(input, sources);
    }
  }

  /**
   * The cost-based search's rules besides the gateway's operators ({@link
   * EnumerableRules#ENUMERABLE_RULES}) and each warehouse's, which Calcite's JDBC adapter adds when
   * a warehouse's table joins the plan. Not here on purpose:
   *
   * <ul>
   *   <li>reducing SUM to a COUNT-guarded SUM0, as a heuristic rewrite: it is only needed where
   *       the gateway aggregates, and pushed down it makes the warehouse's SQL harder to read; as
   *       a costed alternative (AVG as SUM and COUNT, for the gateway) it stays;
   *   <li>moving a sort below a projection anywhere: pushed down it nests the warehouse's SQL one
   *       level deeper, with its ORDER BY inside a derived table; where the gateway runs both it
   *       is a rewrite instead ({@link #GATEWAY_SORT_PROJECT_TRANSPOSE}).
   * </ul>
   */
  static final List<RelOptRule> COSTED =
      List.of(
          CoreRules.JOIN_COMMUTE,
          CoreRules.PROJECT_REMOVE,
          CoreRules.SORT_REMOVE,
          CoreRules.AGGREGATE_REDUCE_FUNCTIONS,
          CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES,
          CoreRules.AGGREGATE_EXPAND_WITHIN_DISTINCT,
          AbstractConverter.ExpandConversionRule.INSTANCE);

  /**
   * The logical phases, applied to the plan as converted from SQL: sub-queries to joins,
   * decorrelation, field trimming, the rewrites. Immutable and shared.
   */
  static final Program LOGICAL =
      Programs.sequence(
          (planner, rel, traits, materializations, lattices) -> removeSubQueries(rel),
          PlannerPhases::decorrelate,
          PlannerPhases::trimFields,
          PlannerPhases::rewrite);

  /**
   * The physical phases, after {@link #LOGICAL}: the cost-based search, and Calcite's final pass
   * that merges projections and filters into calcs. Immutable and shared.
   */
  static final Program PHYSICAL =
      Programs.sequence(PlannerPhases::costBased, Programs.calc(DefaultRelMetadataProvider.INSTANCE));

  private static final Program SUB_QUERIES = Programs.subQuery(DefaultRelMetadataProvider.INSTANCE);

  private PlannerPhases() {}

  /** Adds the cost-based search's rules to {@code planner}. */
  static void addCostedRules(RelOptPlanner planner) {
    EnumerableRules.ENUMERABLE_RULES.forEach(planner::addRule);
    COSTED.forEach(planner::addRule);
  }

  /**
   * Leaves {@code planner} only the rules that push a plan down whole to the one warehouse it
   * reads: the warehouse's own (Calcite's JDBC adapter adds them when its table joins the plan),
   * none of the gateway's operators and none of {@link #COSTED}'s alternatives. The search then
   * only has to convert each operator once, instead of costing it in the gateway's convention as
   * well; it fails (CannotPlanException) when the warehouse cannot run the whole query, and the
   * query is then planned again with every rule.
   */
  static void keepOnlyPushdownRules(RelOptPlanner planner) {
    EnumerableRules.ENUMERABLE_RULES.forEach(planner::removeRule);
    COSTED.forEach(planner::removeRule);
  }

  /**
   * Turns the sub-queries in {@code rel}'s filters, projections and join conditions into joins
   * (Calcite's sub-query program); a plan without any is returned as it is, without building a
   * planner for it. Virtual tables are expanded through this too, so that a row filter's
   * sub-query is removed once for the cached expansion instead of in every query reading it.
   */
  static RelNode removeSubQueries(RelNode rel) {
    return containsSubQuery(rel)
        ? SUB_QUERIES.run(rel.getCluster().getPlanner(), rel, rel.getTraitSet(), List.of(), List.of())
        : rel;
  }

  /** Whether a filter, projection or join condition of {@code rel}'s tree holds a sub-query. */
  static boolean containsSubQuery(RelNode rel) {
    if ((rel instanceof Filter filter && RexUtil.SubQueryFinder.containsSubQuery(filter))
        || (rel instanceof Project project && RexUtil.SubQueryFinder.containsSubQuery(project))
        || (rel instanceof Join join && RexUtil.SubQueryFinder.containsSubQuery(join))) {
      return true;
    }
    for (RelNode input : rel.getInputs()) {
      if (containsSubQuery(input)) {
        return true;
      }
    }
    return false;
  }

  private static RelNode decorrelate(
      RelOptPlanner planner,
      RelNode rel,
      RelTraitSet traits,
      List<RelOptMaterialization> materializations,
      List<RelOptLattice> lattices) {
    return RelDecorrelator.decorrelateQuery(
        rel, RelFactories.LOGICAL_BUILDER.create(rel.getCluster(), null));
  }

  private static RelNode trimFields(
      RelOptPlanner planner,
      RelNode rel,
      RelTraitSet traits,
      List<RelOptMaterialization> materializations,
      List<RelOptLattice> lattices) {
    return new PlanTrimmer(RelFactories.LOGICAL_BUILDER.create(rel.getCluster(), null)).trim(rel);
  }

  private static final HepProgram REWRITE_PROGRAM =
      HepProgram.builder().addRuleCollection(REWRITES).build();

  /**
   * The rewrites to a fixpoint, as {@code Programs.of(REWRITE_PROGRAM, true, ...)} would, but with
   * Calcite's record of which rule already fired on which operators: without it, every pass of the
   * fixpoint loop fires every rule again on every unchanged operator, and the rules that consult
   * metadata (constant reduction, removing aggregates over unique keys, sort keys made constant by
   * a filter) recompute predicates over the whole subtree each time.
   */
  private static RelNode rewrite(
      RelOptPlanner planner,
      RelNode rel,
      RelTraitSet traits,
      List<RelOptMaterialization> materializations,
      List<RelOptLattice> lattices) {
    HepPlanner hep = new HepPlanner(REWRITE_PROGRAM, null, true, null, RelOptCostImpl.FACTORY);
    hep.setEnableFiredRulesCache(true);
    hep.setLargePlanMode(true);
    List<RelMetadataProvider> providers = new ArrayList<>(List.of(DefaultRelMetadataProvider.INSTANCE));
    hep.registerMetadataProviders(providers);
    rel.getCluster().setMetadataProvider(ChainedRelMetadataProvider.of(providers));
    hep.setRoot(rel);
    return hep.findBestExp();
  }

  private static RelNode costBased(
      RelOptPlanner planner,
      RelNode rel,
      RelTraitSet traits,
      List<RelOptMaterialization> materializations,
      List<RelOptLattice> lattices) {
    planner.setRoot(rel);
    if (!rel.getTraitSet().equals(traits)) {
      planner.setRoot(planner.changeTraits(rel, traits));
    }
    return planner.findBestExp();
  }
}
