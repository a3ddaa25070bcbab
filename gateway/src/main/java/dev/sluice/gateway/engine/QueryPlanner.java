package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.Failures;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.catalog.GovernedView;
import dev.sluice.gateway.catalog.SqlSettings;
import dev.sluice.gateway.catalog.VirtualCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcImplementor;
import org.apache.calcite.adapter.jdbc.JdbcToEnumerableConverter;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.rules.ProjectToWindowRule;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlString;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns client SQL into a {@link QueryPlan}: parse, refuse anything that is not a read query,
 * validate against the virtual schema only, expand the virtual tables into the physical ones,
 * optimize so that every single-warehouse subtree becomes one JDBC pushdown, and render each
 * pushdown in its warehouse's dialect.
 */
public final class QueryPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(QueryPlanner.class);
  private static final Set<SqlKind> READ_KINDS =
      EnumSet.of(
          SqlKind.SELECT,
          SqlKind.UNION,
          SqlKind.INTERSECT,
          SqlKind.EXCEPT,
          SqlKind.VALUES,
          SqlKind.WITH,
          SqlKind.ORDER_BY);
  private static final Pattern FIRST_WORD =
      Pattern.compile("^(?:\\s|--[^\\n]*\\n|/\\*.*?\\*/)*([A-Za-z]+)", Pattern.DOTALL);
  private static final Set<String> WRITE_OR_SESSION_WORDS =
      Set.of(
          "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "CREATE", "DROP", "ALTER", "TRUNCATE",
          "GRANT", "REVOKE", "SET", "RESET", "COPY", "CALL", "ATTACH", "DETACH", "INSTALL", "LOAD",
          "PRAGMA", "USE", "BEGIN", "COMMIT", "ROLLBACK", "START", "VACUUM", "ANALYZE", "EXPORT",
          "IMPORT", "CHECKPOINT", "COMMENT", "REPLACE", "EXECUTE", "PREPARE", "DEALLOCATE");

  /** Expanded virtual tables kept; each principal's policies make their own (see ExpandedViews). */
  static final long EXPANDED_VIEWS = 2_000;

  /** Folded constant expressions kept (see ReducedConstants). */
  static final long REDUCED_CONSTANTS = 10_000;

  private final VirtualCatalog catalog;
  private final ExpandedViews expandedViews;
  private final ReducedConstants constants = new ReducedConstants(REDUCED_CONSTANTS);

  /** Federated plans whose compiled code is kept (see FederatedCode). */
  static final long FEDERATED_CODE = 1_000;

  private final FederatedCode federatedCode = new FederatedCode(FEDERATED_CODE);

  public QueryPlanner(VirtualCatalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.expandedViews = new ExpandedViews(catalog.typeFactory(), EXPANDED_VIEWS);
  }

  /** How many expanded virtual tables are kept (for tests). */
  long expandedViewCount() {
    return expandedViews.size();
  }

  /** How many federated plans' compiled code is kept (for tests). */
  long federatedCodeCount() {
    return federatedCode.size();
  }

  /** How many folded constant expressions are kept (for tests). */
  long reducedConstantCount() {
    return constants.size();
  }

  /**
   * Plans one statement against what the principal may see ({@code view}); every failure is a
   * {@link GatewayException} with a message for the client.
   */
  public QueryPlan plan(String sql, GovernedView view) {
    requireNonNull(view, "view is null");
    requireNonNull(sql, "sql is null");
    SqlNode statement = parseSingleStatement(sql);
    boolean explain = statement.getKind() == SqlKind.EXPLAIN;
    SqlNode query = explain ? ((SqlExplain) statement).getExplicandum() : statement;
    if (!READ_KINDS.contains(query.getKind())) {
      throw new GatewayException(
          ErrorCode.NOT_READ_ONLY,
          "Sluice serves read-only queries; "
              + query.getKind().sql.toUpperCase(Locale.ROOT).replace('_', ' ')
              + " statements are refused");
    }
    try {
      if (view.minGroupSize().isPresent()) {
        try {
          return planQuery(sql, query, explain, view, true, true);
        } catch (org.apache.calcite.plan.RelOptPlanner.CannotPlanException e) {
          // Something the warehouse cannot run keeps the floor's COUNT(DISTINCT) in the gateway,
          // which needs it split (and rules out a whole pushdown).
          return planQuery(sql, query, explain, view, false, false);
        }
      }
      return planQuery(sql, query, explain, view, false, true);
    } catch (GatewayException e) {
      throw e;
    } catch (CalciteContextException e) {
      throw validationError(e);
    } catch (AssertionError e) {
      throw new GatewayException(
          ErrorCode.UNSUPPORTED, "Sluice cannot plan this query: " + Failures.rootLine(e), e);
    } catch (RuntimeException e) {
      CalciteContextException context = findCause(e, CalciteContextException.class);
      if (context != null) {
        throw validationError(context);
      }
      throw new GatewayException(
          ErrorCode.UNSUPPORTED, "Sluice cannot plan this query: " + Failures.rootLine(e), e);
    }
  }

  private SqlNode parseSingleStatement(String sql) {
    SqlNodeList statements;
    try {
      statements = SqlParser.create(sql, SqlSettings.PARSER).parseStmtList();
    } catch (SqlParseException e) {
      if (StatementText.hasSeveralStatements(sql)) {
        throw new GatewayException(
            ErrorCode.NOT_READ_ONLY, "Multiple statements are refused: send one query per request");
      }
      refuseIfWriteOrSession(sql);
      throw new GatewayException(ErrorCode.SYNTAX_ERROR, "Syntax error: " + parseMessage(e), e);
    }
    if (statements.isEmpty()) {
      throw new GatewayException(ErrorCode.SYNTAX_ERROR, "Empty statement: there is no query to run");
    }
    if (statements.size() > 1) {
      throw new GatewayException(
          ErrorCode.NOT_READ_ONLY,
          "Multiple statements are refused: send one query per request (found "
              + statements.size()
              + ")");
    }
    return statements.get(0);
  }

  private static void refuseIfWriteOrSession(String sql) {
    Matcher matcher = FIRST_WORD.matcher(sql);
    if (matcher.find()) {
      String word = matcher.group(1).toUpperCase(Locale.ROOT);
      if (WRITE_OR_SESSION_WORDS.contains(word)) {
        throw new GatewayException(
            ErrorCode.NOT_READ_ONLY,
            "Sluice serves read-only queries; " + word + " statements are refused");
      }
    }
  }

  /**
   * @param wholeDistinctAggregates for a plan reading one warehouse, keep COUNT(DISTINCT) beside
   *     other aggregates in one aggregate, as warehouses run it, instead of splitting it into
   *     grouping sets the gateway would have to run over every input row (the minimum group size's
   *     counting); fails to plan where the gateway must aggregate after all
   * @param searchPushdownFirst where the rewritten plan reads one warehouse, search only for a
   *     whole pushdown first (see {@link PlannerPhases#keepOnlyPushdownRules}), and plan again
   *     with every rule if there is none
   */
  private QueryPlan planQuery(
      String sql,
      SqlNode query,
      boolean explain,
      GovernedView view,
      boolean wholeDistinctAggregates,
      boolean searchPushdownFirst) {
    VolcanoPlanner planner = new VolcanoPlanner(null, Contexts.of(SqlSettings.CONNECTION));
    planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
    planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
    // Deliberately not among the rules (PlannerPhases), though Calcite's defaults have them:
    // - turning a Project with OVER into a LogicalWindow: it does so to a JdbcProject too, and
    //   nothing implements a window in the JDBC convention; window functions stay inside
    //   projections and are pushed down to warehouses that support them;
    // - rewriting INTERSECT/EXCEPT into UNION ALL plus counting aggregates: that leaves the final
    //   count in the gateway, while warehouses run INTERSECT and EXCEPT themselves;
    // - turning "join with a distinct aggregate" into a semi-join: it drops the aggregate with the
    //   projection below it, so the right side would read every column of its table (for
    //   inherited customer filters: clear e-mails fetched into the gateway only to be ignored).
    PlannerPhases.addCostedRules(planner);
    planner.setExecutor(constants);
    RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(catalog.typeFactory()));

    CalciteCatalogReader clientReader =
        new CalciteCatalogReader(
            CalciteSchema.from(view.root()),
            List.of(catalog.schemaName()),
            catalog.typeFactory(),
            SqlSettings.CONNECTION);
    SqlValidator validator = newValidator(clientReader);
    SqlNode validated = validator.validate(query);
    RelDataType parameterRowType = validator.getParameterRowType(validated);
    List<RelDataType> parameterTypes = new ArrayList<>();
    for (RelDataTypeField field : parameterRowType.getFieldList()) {
      parameterTypes.add(field.getType());
    }

    // Governed views stay scans for the audit record's analysis, then become the physical plan.
    AccessAnalysis.ViewsAsScans viewsAsScans =
        new AccessAnalysis.ViewsAsScans(cluster, new PhysicalViewExpander(cluster));
    SqlToRelConverter converter =
        new SqlToRelConverter(
            viewsAsScans,
            validator,
            clientReader,
            cluster,
            StandardConvertletTable.INSTANCE,
            converterConfig());
    RelRoot scans = converter.convertQuery(validated, false, true);
    AccessSummary access = accessOf(scans, view);
    RelRoot root = scans.withRel(viewsAsScans.expandScans(scans.rel));
    RelNode logical = root.project();
    List<ResultColumn> columns = new ArrayList<>();
    for (RelDataTypeField field : root.validatedRowType.getFieldList()) {
      columns.add(new ResultColumn(field.getName(), field.getType()));
    }
    Optional<QueryPlan.GroupFloor> floor = Optional.empty();
    if (view.minGroupSize().isPresent()) {
      int k = view.minGroupSize().getAsInt();
      MinimumGroupSize.Result floored = MinimumGroupSize.apply(logical, k, catalog);
      logical = floored.plan();
      // Folding makes keys and aggregates nullable: clients see the rewritten plan's types.
      List<RelDataTypeField> fields = logical.getRowType().getFieldList();
      for (int i = 0; i < columns.size(); i++) {
        columns.set(i, new ResultColumn(columns.get(i).name(), fields.get(i).getType()));
      }
      Optional<ResultColumn> folded = floored.foldedGroups()
          ? Optional.of(new ResultColumn(MinimumGroupSize.FOLDED_GROUPS, fields.get(fields.size() - 1).getType()))
          : Optional.empty();
      floor = Optional.of(new QueryPlan.GroupFloor(k, folded));
      if (wholeDistinctAggregates && PlannerPhases.readsOneWarehouse(logical)) {
        // The warehouse runs COUNT(DISTINCT) beside the other aggregates; split into grouping
        // sets, the aggregate would stay in the gateway and pull every row of the warehouse.
        planner.removeRule(CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES);
        planner.removeRule(CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES_TO_JOIN);
        planner.removeRule(CoreRules.AGGREGATE_EXPAND_WITHIN_DISTINCT);
      }
      // The floor's fold count is a window SUM; where the gateway runs it (a query across
      // warehouses), it must become a window operator (see the rule's removal above).
      planner.addRule(ProjectToWindowRule.ProjectToLogicalProjectAndWindowRule.ProjectToLogicalProjectAndWindowRuleConfig
          .DEFAULT.withOperandSupplier(b -> b.operand(LogicalProject.class).predicate(Project::containsOver).anyInputs())
          .as(ProjectToWindowRule.ProjectToLogicalProjectAndWindowRule.ProjectToLogicalProjectAndWindowRuleConfig.class)
          .toRule());
    }

    RelTraitSet desired = logical.getTraitSet().replace(EnumerableConvention.INSTANCE);
    RelNode rewritten = PlannerPhases.LOGICAL.run(planner, logical, desired, List.of(), List.of());
    boolean pushdownSearch = searchPushdownFirst && PlannerPhases.readsOneWarehouse(rewritten);
    if (pushdownSearch) {
      PlannerPhases.keepOnlyPushdownRules(planner);
    }
    RelNode physical;
    try {
      physical = MaterializedInput.underNestedLoopJoins(
          PlannerPhases.PHYSICAL.run(planner, rewritten, desired, List.of(), List.of()));
    } catch (org.apache.calcite.plan.RelOptPlanner.CannotPlanException e) {
      if (!pushdownSearch) {
        throw e;
      }
      // The warehouse cannot run all of it: the gateway runs a part, found by the whole search.
      return planQuery(sql, query, explain, view, wholeDistinctAggregates, false);
    }

    List<QueryPlan.Pushdown> pushdowns = pushdowns(physical);
    String explainText = explainText(physical, pushdowns);
    QueryPlan.Execution execution;
    if (explain) {
      execution = new QueryPlan.Explain();
      columns = List.of(new ResultColumn("PLAN", catalog.typeFactory().createSqlType(
          org.apache.calcite.sql.type.SqlTypeName.VARCHAR)));
      parameterTypes = List.of();
    } else if (physical instanceof JdbcToEnumerableConverter) {
      execution = new QueryPlan.WholePushdown(pushdowns.get(0));
    } else {
      execution = federatedCode.of((EnumerableRel) physical);
    }
    return new QueryPlan(
        sql, columns, parameterTypes, pushdowns, execution, explainText, access, Duration.ZERO, floor);
  }

  /**
   * What the query reads, for the audit log. Should the analysis ever fail, the audit record must
   * not claim less than was read, so it then names every column of every table the principal sees.
   */
  private AccessSummary accessOf(RelRoot scans, GovernedView view) {
    try {
      return AccessAnalysis.summarize(scans, view);
    } catch (RuntimeException | AssertionError e) {
      LOG.warn("Could not work out what a query reads; auditing every visible column: {}", e.toString());
      return AccessAnalysis.everything(view);
    }
  }

  private static SqlValidator newValidator(CalciteCatalogReader reader) {
    return SqlValidatorUtil.newValidator(
        SqlSettings.OPERATORS, reader, reader.getTypeFactory(), SqlSettings.VALIDATOR);
  }

  private static SqlToRelConverter.Config converterConfig() {
    return SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false);
  }

  /** Collects the SQL each warehouse will run, in plan order. */
  private List<QueryPlan.Pushdown> pushdowns(RelNode physical) {
    List<QueryPlan.Pushdown> pushdowns = new ArrayList<>();
    new RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof JdbcToEnumerableConverter converter) {
          pushdowns.add(pushdown(converter));
          return;
        }
        super.visit(node, ordinal, parent);
      }
    }.go(physical);
    return pushdowns;
  }

  private QueryPlan.Pushdown pushdown(JdbcToEnumerableConverter converter) {
    RelNode input = converter.getInput();
    JdbcConvention convention = (JdbcConvention) input.getConvention();
    SqlDialect dialect = convention.dialect;
    JdbcImplementor implementor = new PushdownImplementor(dialect, catalog.typeFactory());
    SqlNode statement = implementor.visitRoot(input).asStatement();
    listColumnsExplicitly(statement, input.getRowType());
    SqlString sqlString = statement.toSqlString(dialect);
    List<Integer> order = sqlString.getDynamicParameters() == null
        ? List.of()
        : List.copyOf(sqlString.getDynamicParameters());
    return new QueryPlan.Pushdown(warehouseOf(convention), sqlString.getSql(), order);
  }

  /**
   * A bare table scan, or a sort over a set operation, renders as {@code SELECT *}; name the
   * columns so a pushdown never depends on the shape of what it reads.
   */
  private static void listColumnsExplicitly(SqlNode statement, RelDataType rowType) {
    if (!(statement instanceof SqlSelect select)) {
      return;
    }
    SqlNodeList selectList = select.getSelectList();
    boolean star =
        selectList == null
            || (selectList.size() == 1
                && selectList.get(0) instanceof SqlIdentifier identifier
                && identifier.isStar());
    if (star) {
      SqlNodeList list = new SqlNodeList(SqlParserPos.ZERO);
      for (String name : rowType.getFieldNames()) {
        list.add(new SqlIdentifier(name, SqlParserPos.ZERO));
      }
      select.setSelectList(list);
    }
  }

  private String warehouseOf(JdbcConvention convention) {
    // The convention's name is the warehouse name (see VirtualCatalog#addPhysicalSchemas).
    String name = convention.getName();
    return name.startsWith("JDBC.") ? name.substring("JDBC.".length()) : name;
  }

  private static String explainText(RelNode physical, List<QueryPlan.Pushdown> pushdowns) {
    StringBuilder text = new StringBuilder(RelOptUtil.toString(physical));
    for (QueryPlan.Pushdown pushdown : pushdowns) {
      text.append("Pushdown to warehouse ").append(pushdown.warehouse()).append(":\n");
      for (String line : pushdown.sql().split("\n")) {
        text.append("  ").append(line).append('\n');
      }
    }
    return text.toString();
  }

  /** Expands virtual tables into physical ones, validating view SQL against the physical schemas. */
  private final class PhysicalViewExpander implements RelOptTable.ViewExpander {
    private final RelOptCluster cluster;

    PhysicalViewExpander(RelOptCluster cluster) {
      this.cluster = cluster;
    }

    @Override
    public RelRoot expandView(
        RelDataType rowType, String queryString, List<String> schemaPath, List<String> viewPath) {
      return expandedViews.expand(
          schemaPath, queryString, cluster, () -> expand(queryString, schemaPath, viewPath));
    }

    private RelRoot expand(String queryString, List<String> schemaPath, List<String> viewPath) {
      SqlNode parsed;
      try {
        parsed = SqlParser.create(queryString, SqlSettings.PARSER).parseQuery();
      } catch (SqlParseException e) {
        throw new GatewayException(
            ErrorCode.INTERNAL_ERROR, "Invalid view definition for " + viewPath, e);
      }
      CalciteCatalogReader physicalReader =
          new CalciteCatalogReader(
              CalciteSchema.from(catalog.physicalRoot()),
              schemaPath,
              catalog.typeFactory(),
              SqlSettings.CONNECTION);
      SqlValidator validator = newValidator(physicalReader);
      SqlToRelConverter converter =
          new SqlToRelConverter(
              this,
              validator,
              physicalReader,
              cluster,
              StandardConvertletTable.INSTANCE,
              converterConfig());
      RelRoot root = converter.convertQuery(parsed, true, false);
      return root.withRel(PlannerPhases.removeSubQueries(root.rel));
    }
  }

  private static GatewayException validationError(CalciteContextException e) {
    String message = e.getMessage() == null ? "Invalid query" : e.getMessage();
    ErrorCode code =
        message.contains("not found") || message.contains("No match found for function")
            ? ErrorCode.UNKNOWN_OBJECT
            : ErrorCode.INVALID_QUERY;
    return new GatewayException(code, message, e);
  }

  private static String parseMessage(SqlParseException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    int expecting = message.indexOf("Was expecting");
    if (expecting > 0) {
      message = message.substring(0, expecting).trim();
    }
    return firstLine(message);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }
}
