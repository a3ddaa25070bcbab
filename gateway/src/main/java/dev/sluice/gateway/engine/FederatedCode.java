package dev.sluice.gateway.engine;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.util.HashMap;
import java.util.Map;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.sql.SqlExplainLevel;

/**
 * The compiled code of the gateway's part of federated plans, kept by plan: a plan planned again
 * (another spelling of the same query, a prepared statement planned anew, a plan-cache eviction,
 * another principal with the same policies) reuses the code made for it before.
 *
 * <p>Calcite already keeps compiled classes by their Java source, which skips the compiler; but
 * the source is generated from the plan first, and generating it (each operator's code, then
 * printing it) took about a tenth of planning a corpus query. Here the key is the plan itself:
 * every operator with its attributes and expressions (the explain text at digest level, which
 * holds the warehouses' tables and parts as well) and every operator's traits (convention, sort
 * order) and row type, from which the code is a deterministic function within one catalog. Code
 * that needs objects beside it at execution (Calcite's stash) is generated anew every time and
 * never kept, so nothing made for one query is handed to another.
 */
final class FederatedCode {
  private final Cache<String, Bindable<Object>> compiled;

  FederatedCode(long size) {
    this.compiled = CacheBuilder.newBuilder().maximumSize(size).build();
  }

  /** The code running {@code physical}, and the objects it looks up at execution. */
  QueryPlan.Federated of(EnumerableRel physical) {
    String key = keyOf(physical);
    Bindable<Object> kept = compiled.getIfPresent(key);
    if (kept != null) {
      return new QueryPlan.Federated(kept);
    }
    Map<String, Object> stash = new HashMap<>();
    @SuppressWarnings("unchecked")
    Bindable<Object> bindable =
        EnumerableInterpretable.toBindable(stash, null, physical, EnumerableRel.Prefer.ARRAY);
    if (stash.isEmpty()) {
      compiled.put(key, bindable);
    }
    return new QueryPlan.Federated(bindable, stash);
  }

  /** How many plans' code is kept (for tests). */
  long size() {
    return compiled.size();
  }

  static String keyOf(RelNode physical) {
    StringBuilder key =
        new StringBuilder(RelOptUtil.toString(physical, SqlExplainLevel.DIGEST_ATTRIBUTES));
    new RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        key.append(node.getTraitSet()).append(' ').append(node.getRowType().getFullTypeString()).append('\n');
        super.visit(node, ordinal, parent);
      }
    }.go(physical);
    return key.toString();
  }
}
