package dev.sluice.gateway.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.DataContext;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * The conditions of a query on {@code audit.query_log} the reader can use to read less: a lower
 * and upper bound on {@code started_at} and one {@code user_name}. Bounds are widened by a second
 * so that casts between timestamp precisions never make the reader skip a matching row; Calcite
 * applies the exact conditions to what is read.
 */
record QueryLogFilters(Optional<Instant> since, Optional<Instant> until, Optional<String> user) {
  private static final Duration MARGIN = Duration.ofSeconds(1);

  static QueryLogFilters of(List<RexNode> filters, DataContext root) {
    Instant since = null;
    Instant until = null;
    String user = null;
    List<RexNode> conjuncts = new ArrayList<>();
    filters.forEach(filter -> conjuncts.addAll(RelOptUtil.conjunctions(filter)));
    for (RexNode conjunct : conjuncts) {
      if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
        continue;
      }
      SqlKind kind = call.getKind();
      RexNode left = call.getOperands().get(0);
      RexNode right = call.getOperands().get(1);
      Optional<Integer> column = column(left);
      RexNode other = right;
      if (column.isEmpty()) {
        column = column(right);
        other = left;
        kind = kind.reverse();
      }
      if (column.isEmpty()) {
        continue;
      }
      Optional<Object> value = constant(other, root);
      if (value.isEmpty()) {
        continue;
      }
      int index = column.get();
      if (index == QueryLogTable.Column.USER_NAME.ordinal() && kind == SqlKind.EQUALS
          && value.get() instanceof String name) {
        user = name;
      } else if (index == QueryLogTable.Column.STARTED_AT.ordinal() && value.get() instanceof Number millis) {
        Instant time = Instant.ofEpochMilli(millis.longValue());
        if (kind == SqlKind.GREATER_THAN || kind == SqlKind.GREATER_THAN_OR_EQUAL || kind == SqlKind.EQUALS) {
          Instant bound = time.minus(MARGIN);
          since = since == null || bound.isAfter(since) ? bound : since;
        }
        if (kind == SqlKind.LESS_THAN || kind == SqlKind.LESS_THAN_OR_EQUAL || kind == SqlKind.EQUALS) {
          Instant bound = time.plus(MARGIN);
          until = until == null || bound.isBefore(until) ? bound : until;
        }
      }
    }
    return new QueryLogFilters(Optional.ofNullable(since), Optional.ofNullable(until), Optional.ofNullable(user));
  }

  /** The column an operand reads, looking through casts. */
  private static Optional<Integer> column(RexNode node) {
    RexNode operand = node;
    while (operand.getKind() == SqlKind.CAST) {
      operand = ((RexCall) operand).getOperands().get(0);
    }
    return operand instanceof RexInputRef ref ? Optional.of(ref.getIndex()) : Optional.empty();
  }

  /**
   * The value of an operand that reads no column: a literal, a parameter, or an expression of them
   * such as {@code CURRENT_TIMESTAMP - INTERVAL '1' HOUR}, evaluated with the query's context.
   */
  private static Optional<Object> constant(RexNode node, DataContext root) {
    try {
      if (node instanceof RexLiteral literal) {
        return value(literal);
      }
      if (node instanceof RexDynamicParam parameter) {
        return Optional.ofNullable(root.get("?" + parameter.getIndex()));
      }
      if (RexUtil.containsInputRef(node) || RexUtil.containsCorrelation(node)) {
        return Optional.empty();
      }
      List<RexNode> reduced = new ArrayList<>();
      new RexExecutorImpl(root).reduce(new RexBuilder(root.getTypeFactory()), List.of(node), reduced);
      return reduced.size() == 1 && reduced.get(0) instanceof RexLiteral literal ? value(literal) : Optional.empty();
    } catch (RuntimeException e) {
      // Not worth failing the query over: without the bound the reader just reads more.
      return Optional.empty();
    }
  }

  private static Optional<Object> value(RexLiteral literal) {
    return switch (literal.getType().getSqlTypeName()) {
      case CHAR, VARCHAR -> Optional.ofNullable(literal.getValueAs(String.class));
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Optional.ofNullable(literal.getValueAs(Long.class));
      default -> Optional.empty();
    };
  }
}
