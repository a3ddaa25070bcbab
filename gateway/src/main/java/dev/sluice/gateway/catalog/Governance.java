package dev.sluice.gateway.catalog;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.Failures;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.TableKind;
import dev.sluice.policies.PolicyResolver;
import dev.sluice.policies.PolicySet;
import dev.sluice.policies.Principal;
import dev.sluice.policies.TableShape;
import dev.sluice.policies.TableView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeImpl;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.ViewTable;

/**
 * Applies the policy set to the virtual schema: builds, per principal, the governed view its SQL is
 * validated against. Policies are replaced atomically; a view (and every plan built on it) keeps
 * the policies it was built with, so in-flight queries are unaffected by a reload.
 */
public final class Governance {
  /** What a gateway table names as its warehouse: it has none, the gateway serves it. */
  static final String GATEWAY = "(gateway)";
  private static final Pattern ATTRIBUTE = Pattern.compile("\\$\\{user\\.([A-Za-z_][A-Za-z0-9_]*)}");
  /** How each protocol declares a purpose, for the refusal of a caller who declared none. */
  static final String HOW_TO_DECLARE = "set the JDBC connection property purpose, the Flight SQL header "
      + "x-sluice-purpose or the HTTP field \"purpose\"";

  private final VirtualCatalog catalog;
  private final List<TableShape> shapes;
  private final AtomicReference<State> state;

  public Governance(VirtualCatalog catalog, PolicySet policies) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.shapes = catalog.tables().stream().map(Governance::shape).toList();
    List<String> problems = validate(policies);
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    this.state = new AtomicReference<>(new State(new PolicyResolver(policies)));
  }

  /** Replaces the policies if they are valid; otherwise throws and keeps the current ones. */
  public void replace(PolicySet policies) {
    List<String> problems = validate(policies);
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    state.set(new State(new PolicyResolver(policies)));
  }

  public PolicySet policies() {
    return state.get().resolver.policies();
  }

  /**
   * What {@code principal} may see, from the cache when it was resolved under the current policies.
   * Every query and metadata call comes through here, so this is where a principal whose declared
   * purpose is not allowed, or who declared none while a role of theirs requires one, is refused.
   *
   * <p>The purpose is part of the principal, so of the cache key; it is not part of the view's
   * fingerprint. Two principals whose purposes give the same view SQL (a purpose without
   * overlays, such as {@code analytics}) share the view and its plans safely: a plan holds no
   * purpose, and the audit log takes the purpose from the caller of each query.
   */
  public GovernedView viewOf(Principal principal) {
    requireNonNull(principal, "principal is null");
    State current = state.get();
    Optional<String> refusal = current.resolver.purposeRefusal(principal);
    if (refusal.isPresent()) {
      throw new GatewayException(ErrorCode.ACCESS_DENIED, refusal.get()
          + (principal.purpose().isEmpty() ? ": " + HOW_TO_DECLARE : ""));
    }
    try {
      return current.byPrincipal.get(principal, () -> build(current, principal));
    } catch (ExecutionException | com.google.common.util.concurrent.UncheckedExecutionException e) {
      if (e.getCause() instanceof GatewayException gateway) {
        throw gateway;
      }
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "Cannot apply the policies", e.getCause());
    }
  }

  private GovernedView build(State current, Principal principal) throws ExecutionException {
    Map<String, TableView> views = current.resolver.resolve(principal, shapes);
    List<GatewayTable> gatewayTables = grantedGatewayTables(current.resolver.policies(), principal);
    List<String> sqls = new ArrayList<>();
    for (TableView view : views.values()) {
      sqls.add(view.table() + "=" + viewSql(view));
    }
    // Principals who differ only in a gateway table must not share plans, so it is part of the view.
    gatewayTables.forEach(table -> sqls.add(table.qualifiedName() + "=granted"));
    OptionalInt minGroupSize = current.resolver.minGroupSize(principal, shapes);
    minGroupSize.ifPresent(k -> sqls.add("min_group_size=" + k));
    String fingerprint = sha256(String.join("\n", sqls));
    return current.byFingerprint.get(
        fingerprint, () -> governedView(fingerprint, views, gatewayTables, minGroupSize));
  }

  /** The gateway's own tables (audit.query_log) that some role of the principal grants. */
  private List<GatewayTable> grantedGatewayTables(PolicySet policies, Principal principal) {
    return catalog.gatewayTables().stream()
        .filter(table -> principal.roles().stream()
            .flatMap(role -> policies.role(role).stream())
            .anyMatch(role -> role.tables().keySet().stream().anyMatch(table.qualifiedName()::equalsIgnoreCase)))
        .toList();
  }

  private GovernedView governedView(
      String fingerprint,
      Map<String, TableView> views,
      List<GatewayTable> gatewayTables,
      OptionalInt minGroupSize) {
    SchemaPlus root = CalciteSchema.createRootSchema(false, true).plus();
    List<GovernedTable> tables = new ArrayList<>();
    SchemaPlus schema = views.isEmpty() ? null : root.add(catalog.schemaName(), new AbstractSchema());
    for (TableView view : views.values()) {
      VirtualTable base = catalog.table(view.table()).orElseThrow();
      String sql = viewSql(view);
      RelDataType rowType;
      try {
        rowType = catalog.validatedRowType(sql, List.of(catalog.schemaName()));
      } catch (Exception e) {
        throw new GatewayException(
            ErrorCode.CONFIGURATION_ERROR,
            "The policies for table " + view.table() + " do not apply: " + Failures.rootLine(e),
            e);
      }
      schema.add(
          base.name(),
          new ViewTable(
              Object[].class,
              RelDataTypeImpl.proto(rowType),
              sql,
              List.of(catalog.schemaName()),
              List.of(catalog.schemaName(), base.name())));
      tables.add(new GovernedTable(base, rowType, view, sql));
    }
    for (GatewayTable table : gatewayTables) {
      SchemaPlus gatewaySchema = root.getSubSchema(table.schema());
      (gatewaySchema == null ? root.add(table.schema(), new AbstractSchema()) : gatewaySchema)
          .add(table.name(), table.table());
      tables.add(governed(table));
    }
    return new GovernedView(fingerprint, root, tables, minGroupSize);
  }

  /** A gateway table as granted: every column clear, every row. */
  private GovernedTable governed(GatewayTable table) {
    RelDataType rowType = table.table().getRowType(catalog.typeFactory());
    List<TableView.ColumnView> columns = rowType.getFieldNames().stream()
        .map(name -> new TableView.ColumnView(name, VirtualCatalog.quote(name), Optional.<String>empty()))
        .toList();
    VirtualTable base = new VirtualTable(
        table.schema(), table.name(), TableKind.ENTITY, GATEWAY, rowType,
        table.primaryKey(), Optional.empty(), "");
    return new GovernedTable(base, rowType, new TableView(table.name(), columns, Optional.empty(), List.of()), "");
  }

  private String viewSql(TableView view) {
    String columns =
        view.columns().stream()
            .map(column -> column.sql() + " AS " + VirtualCatalog.quote(column.name()))
            .collect(Collectors.joining(", "));
    if (columns.isEmpty()) {
      // Every column denied: the table is still there (its rows can be counted), with no columns.
      columns = "1 AS " + VirtualCatalog.quote("_no_visible_columns");
    }
    return "SELECT " + columns + " FROM " + VirtualCatalog.quote(catalog.schemaName()) + "."
        + VirtualCatalog.quote(view.table())
        + view.rowFilter().map(filter -> " WHERE " + filter).orElse("");
  }

  /**
   * Every problem in {@code policies} against the virtual schema: unknown tables and columns, and
   * mask or filter SQL that does not validate (checked by building each role's view for a user
   * holding only that role and every attribute the policies mention, and each purpose's view for
   * such a user of each role the purpose lists).
   */
  public List<String> validate(PolicySet policies) {
    List<String> problems = new ArrayList<>();
    Set<String> attributes = new TreeSet<>();
    policies.roles().values().forEach(role -> role.tables().forEach((tableName, grant) ->
        checkTable("roles." + role.name() + ".tables." + tableName, tableName, grant.columns(), grant.rowFilters(),
            grant.defaultRule() instanceof PolicySet.Allow, problems, attributes)));
    policies.purposes().values().forEach(purpose -> purpose.tables().forEach((tableName, overlay) ->
        checkTable("purposes." + purpose.name() + ".tables." + tableName, tableName, overlay.columns(),
            overlay.rowFilters(), true, problems, attributes)));
    if (!problems.isEmpty()) {
      return problems;
    }
    Map<String, String> sample = attributes.stream().collect(Collectors.toMap(a -> a, a -> "sample"));
    State trial = new State(new PolicyResolver(policies));
    for (String role : policies.roles().keySet()) {
      probe(trial, new Principal("policy-check", Set.of(role), sample), "roles." + role, problems);
    }
    for (PolicySet.Purpose purpose : policies.purposes().values()) {
      for (String role : purpose.roles()) {
        probe(trial, new Principal("policy-check", Set.of(role), sample, Optional.of(purpose.name())),
            "purposes." + purpose.name() + " (as role " + role + ")", problems);
      }
    }
    return problems;
  }

  /** Checks that a grant or overlay names an existing table and its columns, and collects its attributes. */
  private void checkTable(
      String path,
      String tableName,
      Map<String, PolicySet.ColumnRule> columns,
      List<PolicySet.RowFilter> rowFilters,
      boolean defaultAllows,
      List<String> problems,
      Set<String> attributes) {
    var gatewayTable = catalog.gatewayTables().stream()
        .filter(t -> t.qualifiedName().equalsIgnoreCase(tableName))
        .findFirst();
    if (gatewayTable.isPresent()) {
      if (!columns.isEmpty() || !rowFilters.isEmpty() || !defaultAllows) {
        problems.add(path + ": " + gatewayTable.get().qualifiedName()
            + " is granted whole: write {} (no default, columns or row_filters)");
      }
      return;
    }
    String bare = tableName.toLowerCase().startsWith(catalog.schemaName().toLowerCase() + ".")
        ? tableName.substring(catalog.schemaName().length() + 1)
        : tableName;
    var table = catalog.tables().stream().filter(t -> t.name().equalsIgnoreCase(bare)).findFirst();
    if (table.isEmpty()) {
      boolean otherSchema = tableName.contains(".") && bare.equals(tableName);
      problems.add(path + (otherSchema
          ? ": no such table (tables are " + catalog.schemaName() + ".<table>, or the gateway's own: "
              + catalog.gatewayTables().stream().map(GatewayTable::qualifiedName).sorted().toList() + ")"
          : ": no such table in schema " + catalog.schemaName()));
      return;
    }
    for (String column : columns.keySet()) {
      if (table.get().columnNames().stream().noneMatch(column::equalsIgnoreCase)) {
        problems.add(path + ".columns." + column + ": no such column in " + table.get().name());
      }
    }
    rowFilters.forEach(filter -> collectAttributes(filter.sql(), attributes));
    columns.values().forEach(rule -> {
      if (rule instanceof PolicySet.Masked masked) {
        collectAttributes(masked.mask().apply("x"), attributes);
      }
    });
  }

  /** Builds the view of {@code probe}, bypassing the purpose check, and reports why it cannot be built. */
  private void probe(State trial, Principal probe, String path, List<String> problems) {
    try {
      build(trial, probe);
    } catch (GatewayException e) {
      problems.add(path + ": " + e.getMessage());
    } catch (ExecutionException | RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      problems.add(path + ": " + Failures.rootLine(cause));
    }
  }

  private static void collectAttributes(String sql, Set<String> attributes) {
    Matcher matcher = ATTRIBUTE.matcher(sql);
    while (matcher.find()) {
      attributes.add(matcher.group(1));
    }
  }

  private static TableShape shape(VirtualTable table) {
    return new TableShape(
        table.name(),
        table.columnNames(),
        table.customerKey(),
        table.kind() == dev.sluice.gateway.config.TableKind.CUSTOMER_BASE);
  }

  private static GatewayException invalid(List<String> problems) {
    return new GatewayException(
        ErrorCode.CONFIGURATION_ERROR,
        "Invalid policies:\n  - " + String.join("\n  - ", problems));
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** The resolver for the current policies and the views built under them. */
  private static final class State {
    final PolicyResolver resolver;
    final Cache<Principal, GovernedView> byPrincipal =
        CacheBuilder.newBuilder().maximumSize(10_000).expireAfterAccess(30, TimeUnit.MINUTES).build();
    final Cache<String, GovernedView> byFingerprint =
        CacheBuilder.newBuilder().maximumSize(1_000).build();

    State(PolicyResolver resolver) {
      this.resolver = resolver;
    }
  }
}
