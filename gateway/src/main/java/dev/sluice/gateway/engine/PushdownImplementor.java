package dev.sluice.gateway.engine;

import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.adapter.jdbc.JdbcImplementor;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.sql.SqlDialect;

/**
 * Renders a warehouse's part of a plan as SQL: Calcite's JDBC implementor, dispatching on the
 * operators the warehouses run without reflection.
 *
 * <p>Calcite's converter finds the {@code visit} method for each operator by reflection, one
 * cache per converter, and one converter renders one pushdown: every pushdown looked its methods
 * up again, trying {@code visit(JdbcProject)} and the like first, each miss a
 * NoSuchMethodException with its stack trace (3% of planning a corpus query). The operators below
 * are each handled by the converter's method for their base class; anything else still goes
 * through Calcite's reflective dispatch.
 */
final class PushdownImplementor extends JdbcImplementor {
  PushdownImplementor(SqlDialect dialect, JavaTypeFactory typeFactory) {
    super(dialect, typeFactory);
  }

  @Override
  protected Result dispatch(RelNode e) {
    if (e instanceof Project project) {
      return visit(project);
    } else if (e instanceof Filter filter) {
      return visit(filter);
    } else if (e instanceof TableScan scan) {
      return visit(scan);
    } else if (e instanceof Join join) {
      return visit(join);
    } else if (e instanceof Aggregate aggregate) {
      return visit(aggregate);
    } else if (e instanceof Sort sort) {
      return visit(sort);
    } else if (e instanceof Union union) {
      return visit(union);
    } else if (e instanceof Intersect intersect) {
      return visit(intersect);
    } else if (e instanceof Minus minus) {
      return visit(minus);
    } else if (e instanceof Calc calc) {
      return visit(calc);
    } else if (e instanceof Values values) {
      return visit(values);
    } else if (e instanceof Window window) {
      return visit(window);
    } else if (e instanceof Correlate correlate) {
      return visit(correlate);
    }
    return super.dispatch(e);
  }
}
