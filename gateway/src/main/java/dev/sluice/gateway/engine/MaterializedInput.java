package dev.sluice.gateway.engine;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableNestedLoopJoin;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.SingleRel;

/**
 * Reads its input once and replays it. Calcite's nested-loop join re-opens its inner input for
 * every outer row; when that input is a warehouse query, that would be one warehouse round trip
 * per row, so the planner puts this node under every nested-loop join's inner side. Public only
 * because Calcite's generated code calls {@link #once}.
 */
public final class MaterializedInput extends SingleRel implements EnumerableRel {
  private MaterializedInput(RelNode input) {
    super(input.getCluster(), input.getTraitSet(), input);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new MaterializedInput(sole(inputs));
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder();
    Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), child.format);
    Expression input = builder.append("input", child.block);
    builder.add(
        Expressions.return_(
            null, Expressions.call(MaterializedInput.class, "once", input)));
    return implementor.result(physType, builder.toBlock());
  }

  /** An enumerable that reads {@code input} on first use and replays the rows afterwards. */
  public static <T> Enumerable<T> once(Enumerable<T> input) {
    return new AbstractEnumerable<>() {
      private List<T> rows;

      @Override
      public Enumerator<T> enumerator() {
        if (rows == null) {
          rows = input.toList();
        }
        return Linq4j.enumerator(rows);
      }
    };
  }

  /** Wraps the inner input of every nested-loop join in the plan. */
  static RelNode underNestedLoopJoins(RelNode plan) {
    return plan.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        if (visited instanceof EnumerableNestedLoopJoin join
            && !(join.getRight() instanceof MaterializedInput)) {
          return join.copy(
              join.getTraitSet(), List.of(join.getLeft(), new MaterializedInput(join.getRight())));
        }
        return visited;
      }
    });
  }
}
