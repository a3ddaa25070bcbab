package dev.sluice.gateway.engine;

import dev.sluice.gateway.catalog.GovernedTable;
import dev.sluice.gateway.catalog.GovernedView;
import dev.sluice.policies.TableView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.ViewExpanders;
import org.apache.calcite.prepare.RelOptTableImpl;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.sql.SqlKind;

/**
 * Works out which governed tables and columns a validated query reads. The query is converted with
 * every governed view left as a scan of the view itself (not expanded into the physical tables),
 * so Calcite's column-origin metadata names virtual columns; the planner expands the scans
 * afterwards ({@link ViewsAsScans}). A column counts as read when any expression, join or filter
 * condition, grouping, ordering or the result uses it. When origins cannot be traced, every
 * column of the tables below is counted, never fewer.
 */
final class AccessAnalysis {
  private final RelMetadataQuery metadata;
  private final Map<String, Set<Integer>> columnsByTable = new LinkedHashMap<>();
  private final Map<String, RelDataType> rowTypes = new HashMap<>();
  private final Map<CorrelationId, RelNode> correlationSources = new HashMap<>();

  private AccessAnalysis(RelMetadataQuery metadata) {
    this.metadata = metadata;
  }

  /**
   * What the query {@code root} reads, {@code root} converted with every governed view left as a
   * scan of itself ({@link ViewsAsScans}); its cluster's metadata traces the origins.
   */
  static AccessSummary summarize(RelRoot root, GovernedView view) {
    AccessAnalysis analysis = new AccessAnalysis(root.rel.getCluster().getMetadataQuery());
    analysis.visit(root.rel);
    for (Map.Entry<Integer, String> field : root.fields) {
      analysis.use(root.rel, field.getKey());
    }
    return analysis.summary(view);
  }

  /** Every column of every table the principal sees: the safe answer when the analysis fails. */
  static AccessSummary everything(GovernedView view) {
    AccessAnalysis analysis = new AccessAnalysis(null);
    for (GovernedTable table : view.tables()) {
      String name = table.schema() + "." + table.name();
      Set<Integer> columns = analysis.columnsByTable.computeIfAbsent(name, n -> new TreeSet<>());
      for (int i = 0; i < table.rowType().getFieldCount(); i++) {
        columns.add(i);
      }
      analysis.rowTypes.put(name, table.rowType());
    }
    return analysis.summary(view);
  }

  private void visit(RelNode node) {
    if (node instanceof TableScan scan) {
      String table = qualified(scan.getTable());
      columnsByTable.computeIfAbsent(table, name -> new TreeSet<>());
      rowTypes.put(table, scan.getRowType());
    }
    for (CorrelationId id : node.getVariablesSet()) {
      // Subqueries in a filter or projection refer to its input's row; in a join, to the join's.
      correlationSources.put(id, node instanceof Join ? node : node.getInput(0));
    }
    if (node instanceof Correlate correlate) {
      correlationSources.put(correlate.getCorrelationId(), correlate.getLeft());
      correlate.getRequiredColumns().forEach(index -> use(correlate.getLeft(), index));
    } else if (node instanceof Aggregate aggregate) {
      aggregate.getGroupSet().forEach(index -> use(aggregate.getInput(), index));
      for (AggregateCall call : aggregate.getAggCallList()) {
        call.getArgList().forEach(index -> use(aggregate.getInput(), index));
        if (call.filterArg >= 0) {
          use(aggregate.getInput(), call.filterArg);
        }
        for (RelFieldCollation collation : call.getCollation().getFieldCollations()) {
          use(aggregate.getInput(), collation.getFieldIndex());
        }
      }
    } else if (node instanceof SetOp) {
      // Set operations compare whole rows (UNION ALL only passes them on, which is harmless to count).
      for (RelNode input : node.getInputs()) {
        for (int i = 0; i < input.getRowType().getFieldCount(); i++) {
          use(input, i);
        }
      }
    }
    node.accept(new RexShuttle() {
      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        useInputField(node, ref.getIndex());
        return ref;
      }

      @Override
      public RexNode visitFieldAccess(RexFieldAccess access) {
        if (access.getReferenceExpr() instanceof RexCorrelVariable variable) {
          RelNode source = correlationSources.get(variable.id);
          if (source != null) {
            use(source, access.getField().getIndex());
          } else {
            everyColumnBelow(node);
          }
          return access;
        }
        return super.visitFieldAccess(access);
      }

      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        super.visitSubQuery(subQuery);
        visit(subQuery.rel);
        return subQuery;
      }
    });
    for (RelNode input : node.getInputs()) {
      visit(input);
    }
  }

  /** A field of the concatenation of {@code node}'s inputs, as its expressions reference them. */
  private void useInputField(RelNode node, int index) {
    int offset = 0;
    for (RelNode input : node.getInputs()) {
      int count = input.getRowType().getFieldCount();
      if (index < offset + count) {
        use(input, index - offset);
        return;
      }
      offset += count;
    }
    everyColumnBelow(node);
  }

  private void use(RelNode rel, int field) {
    Set<RelColumnOrigin> origins = metadata.getColumnOrigins(rel, field);
    if (origins == null) {
      everyColumnBelow(rel);
      return;
    }
    for (RelColumnOrigin origin : origins) {
      String table = qualified(origin.getOriginTable());
      columnsByTable.computeIfAbsent(table, name -> new TreeSet<>()).add(origin.getOriginColumnOrdinal());
      rowTypes.putIfAbsent(table, origin.getOriginTable().getRowType());
    }
  }

  private void everyColumnBelow(RelNode rel) {
    if (rel instanceof TableScan scan) {
      String table = qualified(scan.getTable());
      Set<Integer> columns = columnsByTable.computeIfAbsent(table, name -> new TreeSet<>());
      for (int i = 0; i < scan.getRowType().getFieldCount(); i++) {
        columns.add(i);
      }
      rowTypes.put(table, scan.getRowType());
    }
    rel.getInputs().forEach(this::everyColumnBelow);
  }

  private AccessSummary summary(GovernedView view) {
    List<String> tables = new ArrayList<>(columnsByTable.keySet());
    List<String> columns = new ArrayList<>();
    List<AccessSummary.AppliedMask> masks = new ArrayList<>();
    List<AccessSummary.AppliedFilter> filters = new ArrayList<>();
    for (Map.Entry<String, Set<Integer>> entry : columnsByTable.entrySet()) {
      String table = entry.getKey();
      Optional<TableView> policy = governed(view, table).map(GovernedTable::view);
      List<String> names = rowTypes.get(table).getFieldNames();
      for (int ordinal : entry.getValue()) {
        String column = names.get(ordinal);
        columns.add(table + "." + column);
        policy.flatMap(p -> mask(p, column))
            .ifPresent(mask -> masks.add(new AccessSummary.AppliedMask(table, column, mask)));
      }
      policy.ifPresent(p -> p.appliedFilters().forEach(
          sql -> filters.add(new AccessSummary.AppliedFilter(table, sql))));
    }
    return new AccessSummary(tables, columns, masks, filters);
  }

  private static Optional<GovernedTable> governed(GovernedView view, String qualified) {
    return view.tables().stream()
        .filter(table -> (table.schema() + "." + table.name()).equalsIgnoreCase(qualified))
        .findFirst();
  }

  private static Optional<String> mask(TableView view, String column) {
    return view.columns().stream()
        .filter(c -> c.name().equalsIgnoreCase(column))
        .findFirst()
        .flatMap(TableView.ColumnView::mask);
  }

  private static String qualified(RelOptTable table) {
    return String.join(".", table.getQualifiedName());
  }

  /**
   * Leaves each governed view as a scan of itself, so origins name its (virtual) columns, and
   * expands those scans afterwards ({@link #expandScans}) into what converting the query with the
   * physical expander would have made: one conversion serves both the audit record's analysis and
   * the plan.
   */
  static final class ViewsAsScans implements RelOptTable.ViewExpander {
    private final RelOptCluster cluster;
    private final RelOptTable.ViewExpander physical;
    // The views left as scans, by the table each scan reads (tables without a Table behind them,
    // so that nothing expands them on the way).
    private final Map<RelOptTable, View> views = new IdentityHashMap<>();

    /** @param physical expands a view into the physical tables ({@link #expandScans}) */
    ViewsAsScans(RelOptCluster cluster, RelOptTable.ViewExpander physical) {
      this.cluster = cluster;
      this.physical = physical;
    }

    @Override
    public RelRoot expandView(
        RelDataType rowType, String queryString, List<String> schemaPath, List<String> viewPath) {
      RelOptTable table = RelOptTableImpl.create(null, rowType, viewPath, null);
      views.put(table, new View(rowType, queryString, schemaPath, viewPath));
      return RelRoot.of(LogicalTableScan.create(cluster, table, List.of()), SqlKind.SELECT);
    }

    /**
     * {@code rel} with each view scan replaced by the view's expansion, as Calcite's {@code
     * ViewTable} makes it: the expander's plan, cast to the view's row type, its tables
     * converted; in sub-queries too.
     */
    RelNode expandScans(RelNode rel) {
      return rel.accept(new RelHomogeneousShuttle() {
        @Override
        public RelNode visit(RelNode other) {
          if (other instanceof TableScan scan && views.containsKey(scan.getTable())) {
            return expansion(views.get(scan.getTable()));
          }
          return super.visit(other).accept(new RexShuttle() {
            @Override
            public RexNode visitSubQuery(RexSubQuery subQuery) {
              RelNode expanded = expandScans(subQuery.rel);
              return expanded == subQuery.rel ? subQuery : subQuery.clone(expanded);
            }
          });
        }
      });
    }

    private RelNode expansion(View view) {
      RelOptTable.ToRelContext context = ViewExpanders.toRelContext(physical, cluster, List.of());
      RelRoot root = physical.expandView(view.rowType(), view.sql(), view.schemaPath(), view.viewPath());
      RelNode cast = RelOptUtil.createCastRel(root.rel, view.rowType(), true);
      return cast.accept(new RelShuttleImpl() {
        @Override
        public RelNode visit(TableScan scan) {
          TranslatableTable translatable = scan.getTable().unwrap(TranslatableTable.class);
          return translatable != null ? translatable.toRel(context, scan.getTable()) : super.visit(scan);
        }
      });
    }

    private record View(RelDataType rowType, String sql, List<String> schemaPath, List<String> viewPath) {}
  }
}
