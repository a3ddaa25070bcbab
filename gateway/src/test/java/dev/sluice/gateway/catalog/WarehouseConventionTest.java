package dev.sluice.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.testing.TestingGateway;
import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/** A warehouse's rules convert only what reads that warehouse alone. */
class WarehouseConventionTest {
  private final VirtualCatalog catalog = TestingGateway.shared().engine().catalog();
  private final RelBuilder builder =
      RelBuilder.create(Frameworks.newConfigBuilder().defaultSchema(catalog.physicalRoot()).build());

  @Test
  void convertsOperatorsReadingItsWarehouseOnly() {
    RelNode households = builder.scan("dw", "retail", "households").build();
    RelNode propensity = builder.scan("lake", "ml", "propensity").build();
    JdbcConvention dw = conventionOf(households);
    JdbcConvention lake = conventionOf(propensity);
    assertThat(dw).isInstanceOf(WarehouseConvention.class);

    RelNode overDw = builder.push(households).project(builder.field(0)).build();
    RelNode overLake = builder.push(propensity).project(builder.field(0)).build();
    RelNode overBoth = builder.push(households).push(propensity)
        .join(JoinRelType.INNER, builder.equals(builder.field(2, 0, 0), builder.field(2, 1, 0)))
        .project(builder.field(0))
        .build();
    assertThat(overBoth.getInput(0)).isInstanceOf(LogicalJoin.class);

    ConverterRule dwProjects = projectRule(dw);
    ConverterRule lakeProjects = projectRule(lake);
    assertThat(dwProjects.getOperand().matches(overDw)).isTrue();
    assertThat(dwProjects.getOperand().matches(overLake)).isFalse();
    assertThat(dwProjects.getOperand().matches(overBoth)).isFalse();
    assertThat(lakeProjects.getOperand().matches(overLake)).isTrue();
    assertThat(lakeProjects.getOperand().matches(overBoth)).isFalse();
    // What it does convert, it converts as Calcite's own rule does.
    assertThat(dwProjects.convert(overDw).getConvention()).isSameAs(dw);
  }

  @Test
  void givesEveryQueryTheSameRuleInstances() {
    JdbcConvention dw = conventionOf(builder.scan("dw", "retail", "households").build());
    VolcanoPlanner first = new VolcanoPlanner();
    VolcanoPlanner second = new VolcanoPlanner();
    dw.register(first);
    dw.register(second);
    assertThat(second.getRules())
        .usingElementComparator((a, b) -> a == b ? 0 : 1)
        .containsExactlyInAnyOrderElementsOf(first.getRules());
  }

  private static JdbcConvention conventionOf(RelNode scan) {
    return (JdbcConvention) scan.getConvention();
  }

  private static ConverterRule projectRule(JdbcConvention convention) {
    VolcanoPlanner planner = new VolcanoPlanner();
    convention.register(planner);
    List<RelOptRule> rules = planner.getRules();
    return rules.stream()
        .filter(rule -> rule instanceof ConverterRule converter
            && converter.getOutTrait() == convention
            && converter.getOperand().getMatchedClass().isAssignableFrom(LogicalProject.class)
            && converter.getOperand().getMatchedClass() != RelNode.class)
        .map(ConverterRule.class::cast)
        .findFirst()
        .orElseThrow();
  }
}
