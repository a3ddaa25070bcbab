package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.catalog.GovernedView;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.calcite.DataContexts;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/**
 * The planner's own caches (expanded virtual tables, folded constants) change how fast a query is
 * planned, never its plan: plans made from cached entries, and by several threads at once, are
 * the plans a planner with empty caches makes.
 */
class PlanningCachesTest {
  private static final List<Principal> PRINCIPALS =
      List.of(
          new Principal("admin", Set.of("admin"), Map.of()),
          new Principal("mia", Set.of("marketer"), Map.of("region", "EU")),
          new Principal("max", Set.of("marketer"), Map.of()),
          new Principal("ana", Set.of("analyst"), Map.of()));

  private final GatewayServer server = TestingGateway.shared();

  @Test
  void plansFromCachedEntriesAreThePlansOfAnEmptyCache() {
    for (Principal principal : PRINCIPALS) {
      GovernedView view = server.engine().governance().viewOf(principal);
      QueryPlanner warm = new QueryPlanner(server.engine().catalog());
      Map<String, String> first = planCorpus(warm, view);
      assertThat(warm.expandedViewCount()).as(principal.user()).isPositive();
      Map<String, String> again = planCorpus(warm, view);
      assertThat(again).as(principal.user()).isEqualTo(first);
      for (Corpus.Query query : Corpus.load()) {
        QueryPlanner cold = new QueryPlanner(server.engine().catalog());
        assertThat(describe(cold, view, query.sql()))
            .as("%s, %s", principal.user(), query.name())
            .isEqualTo(first.get(query.name()));
      }
    }
    QueryPlanner planner = new QueryPlanner(server.engine().catalog());
    planCorpus(planner, server.engine().governance().viewOf(PRINCIPALS.get(1)));
    // mia's region filter compares with a cast literal; folding it compiles code once.
    assertThat(planner.reducedConstantCount()).isPositive();
  }

  @Test
  void threadsPlanningAtOnceGetThePlansOfOneThread() throws Exception {
    GovernedView view = server.engine().governance().viewOf(PRINCIPALS.get(1));
    Map<String, String> expected = planCorpus(new QueryPlanner(server.engine().catalog()), view);
    QueryPlanner shared = new QueryPlanner(server.engine().catalog());
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Map<String, String>>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(threads.submit(() -> planCorpus(shared, view)));
      }
      for (Future<Map<String, String>> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void federatedPlansPlannedAgainReuseTheirCodeAndOnlyTheirs() {
    GovernedView view = server.engine().governance().viewOf(PRINCIPALS.get(0));
    QueryPlanner planner = new QueryPlanner(server.engine().catalog());
    String sql = """
        SELECT c.customer_id, p.bread FROM cdp.customers AS c
        JOIN cdp.propensity_scores AS p ON p.customer_id = c.customer_id
        WHERE p.bread >= %s ORDER BY c.customer_id LIMIT %d""";
    QueryPlan.Federated first = federated(planner.plan(sql.formatted("0.5", 10), view));
    assertThat(planner.federatedCodeCount()).isEqualTo(1);
    // The same plan from another spelling of the query: the same code.
    QueryPlan.Federated respelled = federated(planner.plan(sql.formatted("0.5", 10).toLowerCase(), view));
    assertThat(respelled.bindable()).isSameAs(first.bindable());
    // Another limit is another plan (the gateway's LIMIT holds it): other code.
    QueryPlan.Federated other = federated(planner.plan(sql.formatted("0.5", 20), view));
    assertThat(other.bindable()).isNotSameAs(first.bindable());
    assertThat(planner.federatedCodeCount()).isEqualTo(2);
    // The same operators over other column types are another plan.
    RelOptCluster cluster = cluster();
    RelBuilder builder = RelBuilder.proto(Contexts.empty()).create(cluster, null);
    var types = cluster.getTypeFactory();
    RelNode ints = builder.values(types.builder().add("x", SqlTypeName.INTEGER).build()).build();
    RelNode longs = builder.values(types.builder().add("x", SqlTypeName.BIGINT).build()).build();
    assertThat(RelOptUtil.toString(ints)).isEqualTo(RelOptUtil.toString(longs));
    assertThat(FederatedCode.keyOf(ints)).isNotEqualTo(FederatedCode.keyOf(longs));
  }

  private static QueryPlan.Federated federated(QueryPlan plan) {
    assertThat(plan.execution()).as(plan.explainText()).isInstanceOf(QueryPlan.Federated.class);
    return (QueryPlan.Federated) plan.execution();
  }

  @Test
  void correlatedExpansionsAreNotCopied() {
    RelOptCluster cluster = cluster();
    RelBuilder builder = RelBuilder.proto(Contexts.empty()).create(cluster, null);
    RelNode uncorrelated =
        builder.values(new String[] {"a"}, 1, 2).filter(builder.equals(builder.field(0), builder.literal(1))).build();
    RelOptCluster other = cluster();
    RelNode copy = ExpandedViews.copy(uncorrelated, other).orElseThrow();
    assertThat(copy.getCluster()).isSameAs(other);
    assertThat(RelOptUtil.toString(copy)).isEqualTo(RelOptUtil.toString(uncorrelated));

    RexBuilder rex = cluster.getRexBuilder();
    CorrelationId id = cluster.createCorrel();
    RelNode values = builder.values(new String[] {"a"}, 1, 2).build();
    RexNode outer = rex.makeFieldAccess(rex.makeCorrel(values.getRowType(), id), 0);
    RelNode correlated = builder.push(values).filter(builder.equals(builder.field(0), outer)).build();
    assertThat(ExpandedViews.copy(correlated, other)).isEmpty();
  }

  @Test
  void foldedConstantsAreRememberedOnlyWhenEvaluatingAgainWouldGiveTheSame() {
    RexBuilder rex = cluster().getRexBuilder();
    RexNode cast =
        rex.makeCast(rex.getTypeFactory().createSqlType(SqlTypeName.VARCHAR, 10), rex.makeLiteral("EU"));
    ReducedConstants constants = new ReducedConstants(100);
    List<RexNode> expected = new ArrayList<>();
    new RexExecutorImpl(DataContexts.EMPTY).reduce(rex, List.of(cast), expected);
    for (int i = 0; i < 2; i++) {
      List<RexNode> reduced = new ArrayList<>();
      constants.reduce(rex, List.of(cast), reduced);
      assertThat(reduced).hasToString(expected.toString());
    }
    assertThat(constants.size()).isEqualTo(1);

    RexNode random = rex.makeCall(SqlStdOperatorTable.RAND);
    RexNode now = rex.makeCall(SqlStdOperatorTable.CURRENT_TIMESTAMP);
    assertThat(ReducedConstants.keyOf(List.of(random))).isNull();
    assertThat(ReducedConstants.keyOf(List.of(now))).isNull();
    assertThat(ReducedConstants.keyOf(List.of(rex.makeLiteral("EU"))))
        .isNotEqualTo(ReducedConstants.keyOf(List.of(cast)));
  }

  private static RelOptCluster cluster() {
    return RelOptCluster.create(new VolcanoPlanner(), new RexBuilder(new JavaTypeFactoryImpl()));
  }

  /** Each corpus query's plan (or refusal) as text, by query name. */
  private static Map<String, String> planCorpus(QueryPlanner planner, GovernedView view) {
    Map<String, String> plans = new LinkedHashMap<>();
    for (Corpus.Query query : Corpus.load()) {
      plans.put(query.name(), describe(planner, view, query.sql()));
    }
    return plans;
  }

  private static String describe(QueryPlanner planner, GovernedView view, String sql) {
    try {
      QueryPlan plan = planner.plan(sql, view);
      return plan.explainText() + plan.pushdowns() + plan.columns() + plan.parameterTypes();
    } catch (GatewayException refused) {
      return "refused: " + refused.getMessage();
    }
  }
}
