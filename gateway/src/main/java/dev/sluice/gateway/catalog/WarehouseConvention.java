package dev.sluice.gateway.catalog;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcRules;
import org.apache.calcite.adapter.jdbc.JdbcTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.sql.SqlDialect;

/**
 * A warehouse's calling convention: Calcite's JDBC convention, whose rules only convert an
 * operator into the warehouse's SQL where everything below it reads that warehouse's tables.
 *
 * <p>Calcite's JDBC rules convert every operator into every warehouse's convention and leave the
 * cost-based search to find out that the inputs of most of them can never get there: in a query
 * joining two warehouses, every operator above the join was converted into both warehouses'
 * conventions, each conversion registered, costed (infinitely) and matched against the rules
 * again. Here such conversions are not made: an operator reading two warehouses, or a table of the
 * gateway's own, can only run in the gateway.
 */
public final class WarehouseConvention extends JdbcConvention {
  private final String warehouse;

  public WarehouseConvention(SqlDialect dialect, Expression expression, String warehouse) {
    super(dialect, expression, warehouse);
    this.warehouse = warehouse;
  }

  @Override
  public void register(RelOptPlanner planner) {
    rules.get().forEach(planner::addRule);
  }

  // Made once: rules hold no state, and making them anew for every query showed in its planning.
  private final Supplier<List<RelOptRule>> rules = Suppliers.memoize(this::makeRules);

  private List<RelOptRule> makeRules() {
    List<RelOptRule> made = new ArrayList<>();
    for (RelOptRule rule : JdbcRules.rules(this)) {
      made.add(rule instanceof ConverterRule converter && converter.getOutTrait() == this
          ? new ThisWarehouseOnly(converter)
          : rule);
    }
    // As JdbcConvention registers them.
    made.add(CoreRules.FILTER_SET_OP_TRANSPOSE);
    made.add(CoreRules.PROJECT_REMOVE);
    return List.copyOf(made);
  }

  /** Whether {@code rel} reads nothing but this warehouse's tables (or no table at all). */
  private boolean readsOnlyThisWarehouse(RelNode rel) {
    RelNode node = rel.stripped();
    if (node instanceof TableScan scan
        && (scan.getTable().unwrap(JdbcTable.class) == null
            || !warehouse.equals(scan.getTable().getQualifiedName().get(0)))) {
      return false;
    }
    for (RelNode input : node.getInputs()) {
      if (!readsOnlyThisWarehouse(input)) {
        return false;
      }
    }
    return true;
  }

  /** One of Calcite's JDBC converter rules, for operators reading this warehouse alone. */
  private final class ThisWarehouseOnly extends ConverterRule {
    private final ConverterRule rule;

    ThisWarehouseOnly(ConverterRule rule) {
      super(Config.INSTANCE.withConversion(
          rule.getOperand().getMatchedClass(),
          (RelNode rel) -> rule.getOperand().matches(rel) && readsOnlyThisWarehouse(rel),
          rule.getInTrait(),
          rule.getOutTrait(),
          rule.getClass().getSimpleName()));
      this.rule = rule;
    }

    @Override
    public RelNode convert(RelNode rel) {
      return rule.convert(rel);
    }
  }
}
