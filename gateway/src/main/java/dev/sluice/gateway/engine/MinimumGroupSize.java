package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.catalog.VirtualCatalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalCorrelate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalIntersect;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalMinus;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * The minimum group size of an aggregation-only principal, applied to a logical plan: every group a
 * result row stands for must aggregate at least {@code k} distinct customers.
 *
 * <p>The rewrite follows customer ids through the plan: every scan of a table holding customer ids
 * carries its customer key upwards, through projections, filters, sorts and joins (a join on the
 * customer key carries one key, not two). An aggregate grouped by every key it carries keeps them
 * (its rows are still one customer each); any other aggregate gets the floor: it counts the
 * distinct customers of each group (per carried key), folds the rows of groups below {@code k}
 * into one remainder group whose grouping keys are NULL, and returns NULL for every aggregate of a
 * final group still below {@code k}. Its rows then carry no customer. A plan whose result still
 * carries a customer key returns customer-level rows and is refused. Distinct set operations and
 * {@code SELECT DISTINCT} are aggregates too; {@code UNION ALL} keeps one customer key per branch.
 * The rewritten plan is ordinary SQL (joins, {@code COUNT(DISTINCT)}, {@code CASE}, one window
 * {@code SUM}), so warehouses do the counting in their pushdown.
 *
 * <p>Filters are not restricted: a condition may name one customer, because what comes out is
 * still a group of at least {@code k}. Differencing two large audiences is not prevented (see the
 * README).
 */
final class MinimumGroupSize {
  /** The name of the extra last column the top floor adds: how many groups it folded. */
  static final String FOLDED_GROUPS = "$sluice_folded_groups";

  private final int k;
  private final VirtualCatalog catalog;
  private final RelBuilder builder;
  private final RexBuilder rex;
  private final RelDataTypeFactory types;

  /** A rewritten node: its original fields first, then extras; the carried customer keys and fold count. */
  private record Carried(RelNode rel, int fieldCount, List<Integer> keys, OptionalInt folded) {
    Carried {
      keys = List.copyOf(keys);
    }
  }

  /** The rewritten plan; {@code foldedGroups} says whether its last column is {@link #FOLDED_GROUPS}. */
  record Result(RelNode plan, boolean foldedGroups) {}

  private MinimumGroupSize(int k, VirtualCatalog catalog, RelNode plan) {
    this.k = k;
    this.catalog = catalog;
    this.builder = RelFactories.LOGICAL_BUILDER.create(plan.getCluster(), null);
    this.rex = plan.getCluster().getRexBuilder();
    this.types = rex.getTypeFactory();
  }

  /**
   * {@code logical} with the floor of {@code k} customers applied.
   *
   * @throws GatewayException {@code ACCESS_DENIED} when the result would be customer-level
   */
  static Result apply(RelNode logical, int k, VirtualCatalog catalog) {
    requireNonNull(logical, "logical is null");
    requireNonNull(catalog, "catalog is null");
    RelNode plain = withoutSubQueries(logical);
    MinimumGroupSize floor = new MinimumGroupSize(k, catalog, plain);
    if (containsSubQueryAnywhere(plain)) {
      // Fail closed: the rewrite follows customers through joins, not into sub-queries left as such.
      throw floor.refusal("a sub-query here cannot be turned into a join; write it as a join");
    }
    Carried top = floor.visit(plain, true);
    if (!top.keys().isEmpty()) {
      throw floor.refusal("its result has a row per customer (or names customers)");
    }
    int fields = plain.getRowType().getFieldCount();
    List<RexNode> output = new ArrayList<>();
    List<String> names = new ArrayList<>(plain.getRowType().getFieldNames());
    for (int i = 0; i < fields; i++) {
      output.add(RexInputRef.of(i, top.rel().getRowType()));
    }
    if (top.folded().isPresent()) {
      output.add(RexInputRef.of(top.folded().getAsInt(), top.rel().getRowType()));
      names.add(FOLDED_GROUPS);
    }
    RelNode result = LogicalProject.create(top.rel(), List.of(), output, names, Set.of());
    return new Result(result, top.folded().isPresent());
  }

  /** Sub-queries become joins first, so that the customers they read are followed like any other. */
  private static RelNode withoutSubQueries(RelNode logical) {
    if (!containsSubQueryAnywhere(logical)) {
      return logical;
    }
    HepPlanner planner = new HepPlanner(HepProgram.builder()
        .addRuleCollection(List.of(
            CoreRules.FILTER_SUB_QUERY_TO_CORRELATE,
            CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE,
            CoreRules.JOIN_SUB_QUERY_TO_CORRELATE))
        .build());
    planner.setRoot(logical);
    RelNode removed = planner.findBestExp();
    return RelDecorrelator.decorrelateQuery(removed, RelFactories.LOGICAL_BUILDER.create(removed.getCluster(), null));
  }

  private static boolean containsSubQueryAnywhere(RelNode node) {
    boolean here = node instanceof org.apache.calcite.rel.core.Project project
            && RexUtil.SubQueryFinder.containsSubQuery(project)
        || node instanceof org.apache.calcite.rel.core.Filter filter && RexUtil.SubQueryFinder.containsSubQuery(filter)
        || node instanceof org.apache.calcite.rel.core.Join join && RexUtil.SubQueryFinder.containsSubQuery(join);
    if (here) {
      return true;
    }
    return node.getInputs().stream().anyMatch(MinimumGroupSize::containsSubQueryAnywhere);
  }

  private GatewayException refusal(String why) {
    return new GatewayException(
        ErrorCode.ACCESS_DENIED,
        "Aggregation-only access (min_group_size " + k + "): " + why
            + ". Aggregate over customers instead (COUNT, SUM, AVG ... with GROUP BY); groups of fewer than "
            + k + " customers are folded into one group with NULL keys");
  }

  private Carried visit(RelNode node, boolean top) {
    if (node instanceof TableScan scan) {
      return scan(scan);
    }
    if (node instanceof LogicalProject project) {
      return project(project, top);
    }
    if (node instanceof LogicalFilter filter) {
      Carried input = visit(filter.getInput(), top);
      RelNode rel = LogicalFilter.create(
          input.rel(), retype(filter.getCondition(), input.rel()),
          com.google.common.collect.ImmutableSet.copyOf(filter.getVariablesSet()));
      return new Carried(rel, input.fieldCount(), input.keys(), input.folded());
    }
    if (node instanceof LogicalSort sort) {
      Carried input = visit(sort.getInput(), top);
      RelNode rel = LogicalSort.create(input.rel(), sort.getCollation(), sort.offset, sort.fetch);
      return new Carried(rel, input.fieldCount(), input.keys(), input.folded());
    }
    if (node instanceof LogicalJoin join) {
      return join(join);
    }
    if (node instanceof LogicalAggregate aggregate) {
      return aggregate(aggregate, top);
    }
    if (node instanceof LogicalUnion || node instanceof LogicalIntersect || node instanceof LogicalMinus) {
      return setOperation((org.apache.calcite.rel.core.SetOp) node);
    }
    if (node instanceof LogicalValues) {
      return new Carried(node, node.getRowType().getFieldCount(), List.of(), OptionalInt.empty());
    }
    if (node instanceof LogicalCorrelate) {
      throw refusal("a correlated sub-query the gateway cannot turn into a join reads customers; write it as a join");
    }
    // Anything else (gateway tables, table functions) passes if no customer is under it.
    List<RelNode> inputs = new ArrayList<>();
    for (RelNode input : node.getInputs()) {
      Carried visited = visit(input, false);
      if (!visited.keys().isEmpty()) {
        throw refusal("the plan uses " + node.getRelTypeName() + " over customer rows, which the floor cannot follow");
      }
      inputs.add(trimmed(visited));
    }
    RelNode rel = inputs.equals(node.getInputs()) ? node : node.copy(node.getTraitSet(), inputs);
    return new Carried(rel, node.getRowType().getFieldCount(), List.of(), OptionalInt.empty());
  }

  private Carried scan(TableScan scan) {
    int fields = scan.getRowType().getFieldCount();
    Optional<VirtualCatalog.CustomerKey> key = catalog.customerKey(scan.getTable().getQualifiedName());
    if (key.isEmpty()) {
      return new Carried(scan, fields, List.of(), OptionalInt.empty());
    }
    if (key.get().expressionKeyOf().isPresent()) {
      throw refusal("the customer key of table " + key.get().expressionKeyOf().get()
          + " is an expression, which the floor cannot count; map it onto a column");
    }
    List<Integer> keys = new ArrayList<>();
    for (String column : key.get().columns()) {
      RelDataTypeField field = scan.getRowType().getField(column, false, false);
      if (field == null) {
        throw new GatewayException(ErrorCode.INTERNAL_ERROR,
            "The customer key column " + column + " is missing from " + scan.getTable().getQualifiedName());
      }
      keys.add(field.getIndex());
    }
    return new Carried(scan, fields, keys, OptionalInt.empty());
  }

  private Carried project(LogicalProject project, boolean top) {
    Carried input = visit(project.getInput(), top);
    List<RexNode> expressions = new ArrayList<>();
    for (RexNode expression : project.getProjects()) {
      expressions.add(retype(expression, input.rel()));
    }
    int fields = expressions.size();
    List<String> names = new ArrayList<>(project.getRowType().getFieldNames());
    List<Integer> keys = new ArrayList<>();
    for (int key : input.keys()) {
      keys.add(carry(expressions, names, fields, RexInputRef.of(key, input.rel().getRowType()), "customer"));
    }
    OptionalInt folded = input.folded().isPresent()
        ? OptionalInt.of(carry(expressions, names, fields,
            RexInputRef.of(input.folded().getAsInt(), input.rel().getRowType()), "folded"))
        : OptionalInt.empty();
    RelNode rel = LogicalProject.create(input.rel(), project.getHints(), expressions, names, project.getVariablesSet());
    return new Carried(rel, fields, keys, folded);
  }

  /** The position of {@code ref} among the first {@code fields} expressions, or appended as an extra. */
  private static int carry(List<RexNode> expressions, List<String> names, int fields, RexInputRef ref, String what) {
    for (int i = 0; i < fields; i++) {
      if (expressions.get(i) instanceof RexInputRef existing && existing.getIndex() == ref.getIndex()) {
        return i;
      }
    }
    expressions.add(ref);
    names.add("$sluice_" + what + "_" + expressions.size());
    return expressions.size() - 1;
  }

  private Carried join(LogicalJoin join) {
    Carried left = visit(join.getLeft(), false);
    Carried right = visit(join.getRight(), false);
    int leftFields = left.fieldCount();
    int leftWidth = left.rel().getRowType().getFieldCount();
    int shift = leftWidth - leftFields;
    // The right side's fields move past the left's extras.
    RexNode condition = shift == 0 ? join.getCondition() : RexUtil.shift(join.getCondition(), leftFields, shift);
    RelNode joined = LogicalJoin.create(
        left.rel(), right.rel(), join.getHints(), retypeJoin(condition, left.rel(), right.rel()),
        join.getVariablesSet(), join.getJoinType());
    if (!join.getJoinType().projectsRight()) {
      return new Carried(joined, leftFields, left.keys(), OptionalInt.empty());
    }
    // Put the original fields first again: left's, then right's; then the keys that are extras.
    int rightFields = right.fieldCount();
    List<RexNode> expressions = new ArrayList<>();
    List<String> names = new ArrayList<>(join.getRowType().getFieldNames());
    for (int i = 0; i < leftFields; i++) {
      expressions.add(RexInputRef.of(i, joined.getRowType()));
    }
    for (int i = 0; i < rightFields; i++) {
      expressions.add(RexInputRef.of(leftWidth + i, joined.getRowType()));
    }
    int fields = expressions.size();
    List<Integer> leftKeys = new ArrayList<>();
    for (int key : left.keys()) {
      leftKeys.add(carry(expressions, names, fields, RexInputRef.of(key, joined.getRowType()), "customer"));
    }
    Set<Integer> equated = equatedRightKeys(join, left, right);
    List<Integer> keys = new ArrayList<>(leftKeys);
    for (int key : right.keys()) {
      if (!equated.contains(key)) {
        keys.add(carry(expressions, names, fields, RexInputRef.of(leftWidth + key, joined.getRowType()), "customer"));
      }
    }
    RelNode rel = LogicalProject.create(joined, List.of(), expressions, names, Set.of());
    return new Carried(rel, fields, keys, OptionalInt.empty());
  }

  /**
   * The right side's keys (in the right input's fields) that the join condition equates with a key of
   * the left side: in an inner or left join each such right key is the left key or NULL, so it names
   * no customer the left key does not.
   */
  private static Set<Integer> equatedRightKeys(LogicalJoin join, Carried left, Carried right) {
    Set<Integer> equated = new HashSet<>();
    if (join.getJoinType() != JoinRelType.INNER && join.getJoinType() != JoinRelType.LEFT) {
      return equated;
    }
    for (RexNode conjunct : RelOptUtil.conjunctions(join.getCondition())) {
      if (!(conjunct instanceof RexCall call)
          || (call.getKind() != SqlKind.EQUALS && call.getKind() != SqlKind.IS_NOT_DISTINCT_FROM)) {
        continue;
      }
      List<RexNode> operands = call.getOperands();
      if (!(strip(operands.get(0)) instanceof RexInputRef a) || !(strip(operands.get(1)) instanceof RexInputRef b)) {
        continue;
      }
      int first = a.getIndex();
      int second = b.getIndex();
      int leftFields = left.fieldCount();
      // Indices in the original join: left fields first, then the right's.
      int leftIndex = Math.min(first, second);
      int rightIndex = Math.max(first, second) - leftFields;
      if (leftIndex < leftFields && rightIndex >= 0
          && left.keys().contains(leftIndex) && right.keys().contains(rightIndex)) {
        equated.add(rightIndex);
      }
    }
    return equated;
  }

  private static RexNode strip(RexNode node) {
    return node.getKind() == SqlKind.CAST ? ((RexCall) node).getOperands().get(0) : node;
  }

  private Carried aggregate(LogicalAggregate aggregate, boolean top) {
    Carried input = visit(aggregate.getInput(), false);
    if (input.keys().isEmpty()) {
      return new Carried(rebuilt(aggregate, input.rel()), aggregate.getRowType().getFieldCount(), List.of(),
          OptionalInt.empty());
    }
    if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
      throw refusal("GROUPING SETS, ROLLUP and CUBE are not available to aggregation-only roles; "
          + "run one GROUP BY per grouping");
    }
    List<Integer> groups = aggregate.getGroupSet().asList();
    if (groups.containsAll(input.keys())) {
      // One customer per group: the rows still stand for customers.
      List<Integer> keys = input.keys().stream().map(groups::indexOf).toList();
      return new Carried(rebuilt(aggregate, input.rel()), aggregate.getRowType().getFieldCount(), keys,
          OptionalInt.empty());
    }
    return floor(aggregate, input, top);
  }

  /** {@code aggregate} over its rewritten input, its calls' types derived anew (inputs may be nullable now). */
  private RelNode rebuilt(LogicalAggregate aggregate, RelNode input) {
    List<AggregateCall> calls = new ArrayList<>();
    for (AggregateCall call : aggregate.getAggCallList()) {
      calls.add(recall(call, aggregate.getGroupCount(), input));
    }
    return LogicalAggregate.create(input, aggregate.getHints(), aggregate.getGroupSet(), aggregate.getGroupSets(), calls);
  }

  private static AggregateCall recall(AggregateCall call, int groupCount, RelNode input) {
    RelDataType type = argumentsBecameNullable(call, input) ? null : call.getType();
    return AggregateCall.create(call.getParserPosition(), call.getAggregation(), call.isDistinct(),
        call.isApproximate(), call.ignoreNulls(), call.rexList, call.getArgList(), call.filterArg,
        call.distinctKeys, call.getCollation(), groupCount, input, type, call.getName());
  }

  private static boolean argumentsBecameNullable(AggregateCall call, RelNode input) {
    return call.getArgList().stream().anyMatch(arg -> input.getRowType().getFieldList().get(arg).getType().isNullable())
        && !call.getType().isNullable();
  }

  /**
   * The floor on one aggregate: S counts each group's distinct customers and marks the small ones,
   * the input joined to S has the grouping keys of small groups replaced by NULL, and the aggregate
   * over that has its values replaced by NULL where a final group is still below k.
   */
  private Carried floor(LogicalAggregate aggregate, Carried input, boolean top) {
    RelNode in = input.rel();
    int width = in.getRowType().getFieldCount();
    List<Integer> groups = aggregate.getGroupSet().asList();
    int groupCount = groups.size();

    // S: group keys, small, and (for the top floor) how many groups are small. A group with a NULL
    // key counts as small: the join below matches keys with "=", which warehouses run as a hash
    // join ("IS NOT DISTINCT FROM" and its OR form make DuckDB and PostgreSQL loop), so rows with a
    // NULL key find no group and fold into the remainder.
    builder.push(in);
    List<RelBuilder.AggCall> counts = new ArrayList<>();
    for (int key : input.keys()) {
      counts.add(builder.count(true, null, builder.field(key)));
    }
    builder.aggregate(builder.groupKey(ImmutableBitSet.of(groups)), counts);
    List<RexNode> smallParts = new ArrayList<>();
    for (int i = 0; i < input.keys().size(); i++) {
      smallParts.add(builder.lessThan(builder.field(groupCount + i), builder.literal(k)));
    }
    for (int i = 0; i < groupCount; i++) {
      if (builder.field(i).getType().isNullable()) {
        smallParts.add(builder.isNull(builder.field(i)));
      }
    }
    RexNode small = builder.or(smallParts);
    List<RexNode> sFields = new ArrayList<>(builder.fields(ImmutableBitSet.range(groupCount)));
    sFields.add(builder.alias(small, "$sluice_small"));
    if (top) {
      RexNode one = builder.call(SqlStdOperatorTable.CASE, small, builder.literal(1), builder.literal(0));
      sFields.add(builder.alias(builder.aggregateCall(SqlStdOperatorTable.SUM, one).over().toRex(), "$sluice_folded"));
    }
    builder.project(sFields);
    RelNode s = builder.build();

    // J: the input with each row's group marked small or not (no group: small).
    builder.push(in).push(s);
    List<RexNode> same = new ArrayList<>();
    for (int i = 0; i < groupCount; i++) {
      same.add(builder.equals(builder.field(2, 0, groups.get(i)), builder.field(2, 1, i)));
    }
    builder.join(JoinRelType.LEFT, same.isEmpty() ? builder.literal(true) : builder.and(same));
    RexNode isSmall = builder.call(SqlStdOperatorTable.IS_NOT_FALSE, builder.field(width + groupCount));
    List<RexNode> projected = new ArrayList<>(builder.fields(ImmutableBitSet.range(width)));
    for (int group : groups) {
      RexNode key = builder.field(group);
      RelDataType nullable = types.createTypeWithNullability(key.getType(), true);
      projected.add(builder.call(SqlStdOperatorTable.CASE, isSmall, rex.makeNullLiteral(nullable), key));
    }
    if (top) {
      projected.add(builder.field(width + groupCount + 1));
    }
    builder.project(projected);
    RelNode marked = builder.build();

    // A2: the original aggregate over the marked rows, plus the distinct customers per final group.
    // (The planner must then keep COUNT(DISTINCT) beside the other aggregates rather than split them
    // into grouping sets no warehouse is sent: see QueryPlanner.)
    List<AggregateCall> calls = new ArrayList<>();
    for (AggregateCall call : aggregate.getAggCallList()) {
      calls.add(recall(call, groupCount, marked));
    }
    for (int key : input.keys()) {
      calls.add(AggregateCall.create(SqlStdOperatorTable.COUNT, true, false, false, List.of(), List.of(key), -1,
          null, org.apache.calcite.rel.RelCollations.EMPTY, groupCount, marked, null, "$sluice_customers"));
    }
    if (top) {
      calls.add(AggregateCall.create(SqlStdOperatorTable.MAX, false, false, false, List.of(),
          List.of(width + groupCount), -1, null, org.apache.calcite.rel.RelCollations.EMPTY, groupCount, marked,
          null, "$sluice_folded"));
    }
    RelNode regrouped = LogicalAggregate.create(
        marked, List.of(), ImmutableBitSet.range(width, width + groupCount), null, calls);

    // F: keys, then each value or NULL where the final group is still below k.
    builder.push(regrouped);
    int callCount = aggregate.getAggCallList().size();
    List<RexNode> stillSmall = new ArrayList<>();
    for (int i = 0; i < input.keys().size(); i++) {
      stillSmall.add(builder.lessThan(builder.field(groupCount + callCount + i), builder.literal(k)));
    }
    RexNode below = builder.or(stillSmall);
    List<RexNode> output = new ArrayList<>(builder.fields(ImmutableBitSet.range(groupCount)));
    List<String> names = new ArrayList<>(aggregate.getRowType().getFieldNames());
    for (int i = 0; i < callCount; i++) {
      RexNode value = builder.field(groupCount + i);
      RelDataType nullable = types.createTypeWithNullability(value.getType(), true);
      output.add(builder.call(SqlStdOperatorTable.CASE, below, rex.makeNullLiteral(nullable), value));
    }
    OptionalInt folded = OptionalInt.empty();
    if (top) {
      // Groups with no rows at all leave no row to carry the count: COALESCE makes an empty result 0.
      output.add(builder.call(SqlStdOperatorTable.COALESCE,
          builder.field(groupCount + callCount + input.keys().size()), builder.literal(0)));
      names.add(FOLDED_GROUPS);
      folded = OptionalInt.of(output.size() - 1);
    }
    builder.project(output, names, true);
    return new Carried(builder.build(), aggregate.getRowType().getFieldCount(), List.of(), folded);
  }

  private Carried setOperation(org.apache.calcite.rel.core.SetOp setOp) {
    List<Carried> inputs = new ArrayList<>();
    for (RelNode input : setOp.getInputs()) {
      inputs.add(visit(input, false));
    }
    int fields = setOp.getRowType().getFieldCount();
    if (inputs.stream().allMatch(input -> input.keys().isEmpty())) {
      return new Carried(copySetOp(setOp, inputs.stream().map(i -> trimmed(i)).toList()), fields, List.of(),
          OptionalInt.empty());
    }
    // Each branch names its customers in the same output column: the set operation keeps it.
    Optional<Integer> shared = sharedKeyColumn(inputs);
    if (shared.isPresent()) {
      return new Carried(copySetOp(setOp, inputs.stream().map(this::trimmed).toList()), fields,
          List.of(shared.get()), OptionalInt.empty());
    }
    if (setOp instanceof LogicalUnion union && union.all
        && inputs.stream().allMatch(input -> input.keys().size() <= 1)) {
      // UNION ALL keeps rows apart: each branch's customer key rides along in one extra column.
      RelDataType keyType = null;
      for (Carried input : inputs) {
        if (!input.keys().isEmpty()) {
          RelDataType type = input.rel().getRowType().getFieldList().get(input.keys().get(0)).getType();
          keyType = keyType == null ? type : types.leastRestrictive(List.of(keyType, type));
        }
      }
      RelDataType nullableKey = types.createTypeWithNullability(requireNonNull(keyType), true);
      List<RelNode> branches = new ArrayList<>();
      for (Carried input : inputs) {
        List<RexNode> expressions = new ArrayList<>();
        for (int i = 0; i < input.fieldCount(); i++) {
          expressions.add(RexInputRef.of(i, input.rel().getRowType()));
        }
        expressions.add(input.keys().isEmpty()
            ? rex.makeNullLiteral(nullableKey)
            : rex.makeCast(nullableKey, RexInputRef.of(input.keys().get(0), input.rel().getRowType())));
        List<String> names = new ArrayList<>(setOp.getRowType().getFieldNames());
        names.add("$sluice_customer");
        branches.add(LogicalProject.create(input.rel(), List.of(), expressions, names, Set.<CorrelationId>of()));
      }
      return new Carried(LogicalUnion.create(branches, true), fields, List.of(fields), OptionalInt.empty());
    }
    if (setOp instanceof LogicalUnion union && union.all) {
      throw refusal("a UNION ALL branch combines customers of several tables; aggregate each branch first");
    }
    // Distinct set operations over rows that do not name their customers are aggregates of them:
    // each branch is floored as SELECT DISTINCT of its columns.
    List<RelNode> branches = new ArrayList<>();
    for (Carried input : inputs) {
      if (input.keys().isEmpty()) {
        branches.add(trimmed(input));
        continue;
      }
      LogicalAggregate distinct = LogicalAggregate.create(
          trimmed(input), List.of(), ImmutableBitSet.range(input.fieldCount()), null, List.of());
      Carried floored = floor(distinct, input, false);
      branches.add(trimmed(floored));
    }
    return new Carried(copySetOp(setOp, branches), fields, List.of(), OptionalInt.empty());
  }

  private static Optional<Integer> sharedKeyColumn(List<Carried> inputs) {
    Integer shared = null;
    for (Carried input : inputs) {
      Optional<Integer> visible = input.keys().size() == 1 && input.keys().get(0) < input.fieldCount()
          ? Optional.of(input.keys().get(0))
          : Optional.empty();
      if (visible.isEmpty() || (shared != null && !shared.equals(visible.get()))) {
        return Optional.empty();
      }
      shared = visible.get();
    }
    return Optional.ofNullable(shared);
  }

  /** The node with only its original fields. */
  private RelNode trimmed(Carried carried) {
    RelNode rel = carried.rel();
    if (rel.getRowType().getFieldCount() == carried.fieldCount()) {
      return rel;
    }
    List<RexNode> expressions = new ArrayList<>();
    for (int i = 0; i < carried.fieldCount(); i++) {
      expressions.add(RexInputRef.of(i, rel.getRowType()));
    }
    return LogicalProject.create(rel, List.of(), expressions,
        rel.getRowType().getFieldNames().subList(0, carried.fieldCount()), Set.of());
  }

  private static RelNode copySetOp(org.apache.calcite.rel.core.SetOp setOp, List<RelNode> inputs) {
    return setOp.copy(setOp.getTraitSet(), inputs, setOp.all);
  }

  /** {@code node} over {@code input}, whose fields may have become nullable: types derived anew. */
  private RexNode retype(RexNode node, RelNode input) {
    List<RelDataType> fieldTypes = RelOptUtil.getFieldTypeList(input.getRowType());
    return node.accept(new Retyper(fieldTypes));
  }

  private RexNode retypeJoin(RexNode condition, RelNode left, RelNode right) {
    List<RelDataType> fieldTypes = new ArrayList<>(RelOptUtil.getFieldTypeList(left.getRowType()));
    fieldTypes.addAll(RelOptUtil.getFieldTypeList(right.getRowType()));
    return condition.accept(new Retyper(fieldTypes));
  }

  /** Fixes input references whose field became nullable, and re-derives the calls above them. */
  private final class Retyper extends RexShuttle {
    private final List<RelDataType> fieldTypes;

    Retyper(List<RelDataType> fieldTypes) {
      this.fieldTypes = fieldTypes;
    }

    @Override
    public RexNode visitInputRef(RexInputRef ref) {
      RelDataType actual = fieldTypes.get(ref.getIndex());
      if (actual.equals(ref.getType())) {
        return ref;
      }
      return new RexInputRef(ref.getIndex(), actual);
    }

    @Override
    public RexNode visitCall(RexCall call) {
      // Window calls and sub-queries have visitors of their own; here only plain calls arrive.
      List<RexNode> operands = new ArrayList<>();
      boolean changed = false;
      for (RexNode operand : call.getOperands()) {
        RexNode visited = operand.accept(this);
        changed |= visited != operand;
        operands.add(visited);
      }
      if (!changed) {
        return call;
      }
      boolean nullable = call.getType().isNullable() || operands.stream().anyMatch(o -> o.getType().isNullable());
      RelDataType type = types.createTypeWithNullability(call.getType(), nullable);
      return call.clone(type, operands);
    }
  }
}
