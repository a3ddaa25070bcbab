package dev.sluice.gateway.catalog;

import static java.util.Objects.requireNonNull;

import dev.sluice.dialects.Warehouse;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.ColumnConfig;
import dev.sluice.gateway.config.SourceTable;
import dev.sluice.gateway.config.VirtualSchemaConfig;
import dev.sluice.gateway.config.VirtualTableConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.adapter.jdbc.DescribedJdbcSchema;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeImpl;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.ViewTable;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;

/**
 * The schema tree behind every query. Its root holds one JDBC schema per warehouse schema and the
 * virtual schema's unmasked tables, views mapping the physical tables. Clients never see this
 * root: their SQL is validated against a governed root built per principal (see {@link
 * Governance}), whose views select from these, so physical names are unreachable.
 */
public final class VirtualCatalog {
  private final JavaTypeFactory typeFactory;
  private final SchemaPlus physicalRoot;
  private final String schemaName;
  private final Map<String, VirtualTable> tables;
  private final Map<String, Warehouse> warehouses;
  private final List<GatewayTable> gatewayTables;
  private final Map<List<String>, CustomerKey> customerKeys;

  private VirtualCatalog(
      JavaTypeFactory typeFactory,
      SchemaPlus physicalRoot,
      String schemaName,
      Map<String, VirtualTable> tables,
      Map<String, Warehouse> warehouses,
      List<GatewayTable> gatewayTables,
      Map<List<String>, CustomerKey> customerKeys) {
    this.typeFactory = typeFactory;
    this.physicalRoot = physicalRoot;
    this.schemaName = schemaName;
    this.tables = tables;
    this.warehouses = warehouses;
    this.gatewayTables = List.copyOf(gatewayTables);
    this.customerKeys = Map.copyOf(customerKeys);
  }

  /**
   * Where a physical table holds customer ids: the physical columns that the customer keys of the
   * virtual tables mapped onto it read, or, when such a key is an expression, the virtual table
   * whose key it is (the minimum group size cannot follow an expression back to its customers).
   */
  public record CustomerKey(List<String> columns, Optional<String> expressionKeyOf) {
    public CustomerKey {
      columns = List.copyOf(requireNonNull(columns, "columns is null"));
      requireNonNull(expressionKeyOf, "expressionKeyOf is null");
    }
  }

  /**
   * The customer key of the physical table named {@code qualifiedName} (warehouse, schema, table),
   * if a virtual table with a customer key maps onto it.
   */
  public Optional<CustomerKey> customerKey(List<String> qualifiedName) {
    return Optional.ofNullable(customerKeys.get(qualifiedName));
  }

  private static Map<List<String>, CustomerKey> customerKeys(VirtualSchemaConfig config) {
    Map<List<String>, CustomerKey> keys = new LinkedHashMap<>();
    for (VirtualTableConfig table : config.tables()) {
      if (table.customerKey().isEmpty()) {
        continue;
      }
      List<String> name = List.of(table.source().warehouse(), table.source().schema(), table.source().table());
      CustomerKey known = keys.getOrDefault(name, new CustomerKey(List.of(), Optional.empty()));
      ColumnConfig key = table.column(table.customerKey().get()).orElseThrow();
      if (key.column().isPresent() && key.expression().isEmpty()) {
        List<String> columns = new ArrayList<>(known.columns());
        if (!columns.contains(key.column().get())) {
          columns.add(key.column().get());
        }
        keys.put(name, new CustomerKey(columns, known.expressionKeyOf()));
      } else {
        keys.put(name, new CustomerKey(known.columns(), Optional.of(table.name())));
      }
    }
    return keys;
  }

  /**
   * This catalog plus tables the gateway serves itself; each must live in a schema of its own,
   * named like no warehouse and not like the virtual schema.
   */
  public VirtualCatalog withGatewayTables(List<GatewayTable> added) {
    requireNonNull(added, "added is null");
    for (GatewayTable table : added) {
      if (table.schema().equalsIgnoreCase(schemaName) || warehouses.containsKey(table.schema())) {
        throw new GatewayException(
            ErrorCode.CONFIGURATION_ERROR,
            "schema '" + table.schema() + "' is reserved for " + table.qualifiedName()
                + "; rename the virtual schema or warehouse that uses the name");
      }
    }
    List<GatewayTable> all = new ArrayList<>(gatewayTables);
    all.addAll(added);
    return new VirtualCatalog(typeFactory, physicalRoot, schemaName, tables, warehouses, all, customerKeys);
  }

  /** The tables the gateway serves itself, such as {@code audit.query_log}. */
  public List<GatewayTable> gatewayTables() {
    return gatewayTables;
  }

  /**
   * Builds the catalog, reading the physical tables' columns from the warehouses; every mapping
   * problem (unknown physical table or column, bad expression) is reported together.
   */
  public static VirtualCatalog build(VirtualSchemaConfig config, List<Warehouse> warehouseList) {
    requireNonNull(config, "config is null");
    Map<String, Warehouse> warehouses = new LinkedHashMap<>();
    warehouseList.forEach(warehouse -> warehouses.put(warehouse.name(), warehouse));
    JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(SqlSettings.TYPE_SYSTEM);
    SchemaPlus physicalRoot = CalciteSchema.createRootSchema(false, true).plus();
    addPhysicalSchemas(physicalRoot, config, warehouses);

    if (warehouses.containsKey(config.name())) {
      throw new GatewayException(
          ErrorCode.CONFIGURATION_ERROR,
          "schema.name: '" + config.name() + "' is also the name of a warehouse; rename one of them");
    }
    // The unmasked mapping views live beside the warehouses; only governed views, built per
    // principal on top of them, are ever visible to clients.
    SchemaPlus virtualSchema = physicalRoot.add(config.name(), new AbstractSchema());
    Map<String, VirtualTable> tables = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (VirtualTableConfig table : config.tables()) {
      String viewSql = viewSql(table);
      try {
        RelDataType rowType = validatedRowType(viewSql, List.of(), physicalRoot, typeFactory);
        virtualSchema.add(
            table.name(),
            new ViewTable(
                Object[].class,
                RelDataTypeImpl.proto(rowType),
                viewSql,
                List.of(),
                List.of(config.name(), table.name())));
        tables.put(
            table.name(),
            new VirtualTable(
                config.name(),
                table.name(),
                table.kind(),
                table.source().warehouse(),
                rowType,
                table.primaryKey(),
                table.customerKey(),
                viewSql));
      } catch (Exception e) {
        problems.add(
            "schema.tables." + table.name() + ": cannot map onto " + qualified(table.source())
                + ": " + rootMessage(e));
      }
    }
    if (!problems.isEmpty()) {
      throw new GatewayException(
          ErrorCode.CONFIGURATION_ERROR,
          "The virtual schema does not match the warehouses:\n  - "
              + String.join("\n  - ", problems));
    }
    return new VirtualCatalog(
        typeFactory,
        physicalRoot,
        config.name(),
        Collections.unmodifiableMap(tables),
        Collections.unmodifiableMap(warehouses),
        List.of(),
        customerKeys(config));
  }

  /**
   * One JDBC schema per (warehouse, physical schema) used by the virtual schema. All schemas of
   * one warehouse share one convention, so joins between them are pushed down together.
   */
  private static void addPhysicalSchemas(
      SchemaPlus physicalRoot, VirtualSchemaConfig config, Map<String, Warehouse> warehouses) {
    // warehouse -> physical schema -> the mapped tables in it
    Map<String, Map<String, Set<String>>> tablesByWarehouse = new LinkedHashMap<>();
    for (VirtualTableConfig table : config.tables()) {
      tablesByWarehouse
          .computeIfAbsent(table.source().warehouse(), name -> new LinkedHashMap<>())
          .computeIfAbsent(table.source().schema(), name -> new LinkedHashSet<>())
          .add(table.source().table());
    }
    tablesByWarehouse.forEach(
        (warehouseName, schemas) -> {
          Warehouse warehouse = warehouses.get(warehouseName);
          if (warehouse == null) {
            throw new GatewayException(
                ErrorCode.CONFIGURATION_ERROR, "Unknown warehouse '" + warehouseName + "'");
          }
          SchemaPlus warehouseSchema = physicalRoot.add(warehouseName, new AbstractSchema());
          // Generated code finds the data source through this expression; any schema of the
          // warehouse will do since they share the data source.
          Expression expression =
              Schemas.subSchemaExpression(
                  warehouseSchema, schemas.keySet().iterator().next(), JdbcSchema.class);
          JdbcConvention convention =
              new WarehouseConvention(warehouse.dialect(), expression, warehouseName);
          schemas.forEach(
              (schema, tableNames) ->
                  warehouseSchema.add(schema, physicalSchema(warehouse, convention, schema, tableNames)));
        });
  }

  private static JdbcSchema physicalSchema(
      Warehouse warehouse, JdbcConvention convention, String schema, Set<String> tableNames) {
    return switch (TableDiscovery.of(warehouse.dialect())) {
      case DATABASE_METADATA -> new JdbcSchema(
          warehouse.dataSource(), warehouse.dialect(), convention, null, schema);
      case EMPTY_SELECT -> new DescribedJdbcSchema(
          warehouse.dataSource(),
          warehouse.dialect(),
          convention,
          schema,
          tableNames,
          new EmptySelectDescriber(warehouse.dataSource(), warehouse.dialect()));
    };
  }

  static String viewSql(VirtualTableConfig table) {
    String columns =
        table.columns().stream()
            .map(column -> columnExpression(column) + " AS " + quote(column.name()))
            .collect(Collectors.joining(", "));
    return "SELECT " + columns + " FROM " + qualified(table.source());
  }

  private static String columnExpression(ColumnConfig column) {
    String expression =
        column
            .expression()
            .map(sql -> "(" + sql + ")")
            .orElseGet(() -> quote(column.column().orElseThrow()));
    return column.type().map(type -> "CAST(" + expression + " AS " + type + ")").orElse(expression);
  }

  private static String qualified(SourceTable source) {
    return quote(source.warehouse()) + "." + quote(source.schema()) + "." + quote(source.table());
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** The row type of a view over the physical root (warehouses and unmasked virtual tables). */
  public RelDataType validatedRowType(String sql, List<String> schemaPath) throws Exception {
    return validatedRowType(sql, schemaPath, physicalRoot, typeFactory);
  }

  private static RelDataType validatedRowType(
      String sql, List<String> schemaPath, SchemaPlus root, JavaTypeFactory typeFactory)
      throws Exception {
    CalciteCatalogReader reader =
        new CalciteCatalogReader(CalciteSchema.from(root), schemaPath, typeFactory, SqlSettings.CONNECTION);
    SqlNode parsed = SqlParser.create(sql, SqlSettings.PARSER).parseQuery();
    SqlValidator validator =
        SqlValidatorUtil.newValidator(
            SqlSettings.OPERATORS, reader, typeFactory, SqlSettings.VALIDATOR);
    SqlNode validated = validator.validate(parsed);
    return validator.getValidatedNodeType(validated);
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return Optional.ofNullable(cause.getMessage()).orElse(cause.getClass().getSimpleName());
  }

  public JavaTypeFactory typeFactory() {
    return typeFactory;
  }

  public SchemaPlus physicalRoot() {
    return physicalRoot;
  }

  /**
   * A root holding only the warehouse schemas, each reading through {@code wrap} of its warehouse's
   * data source. Generated code of a federated plan finds its data sources under the root it is
   * given at execution, so a per-execution root is how its statements get the attribution comment.
   * The gateway's own tables are there too, where generated code looks them up by name.
   * Nothing here does I/O: JDBC schemas read their tables lazily, and this root is never planned on.
   */
  public SchemaPlus physicalRootWith(UnaryOperator<DataSource> wrap) {
    requireNonNull(wrap, "wrap is null");
    SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
    for (GatewayTable table : gatewayTables) {
      SchemaPlus schema = root.getSubSchema(table.schema());
      (schema == null ? root.add(table.schema(), new AbstractSchema()) : schema).add(table.name(), table.table());
    }
    for (Warehouse warehouse : warehouses.values()) {
      SchemaPlus original = physicalRoot.getSubSchema(warehouse.name());
      if (original == null) {
        continue;
      }
      SchemaPlus warehouseSchema = root.add(warehouse.name(), new AbstractSchema());
      DataSource dataSource = wrap.apply(warehouse.dataSource());
      if (original.getSubSchemaNames().isEmpty()) {
        continue;
      }
      // Only planning looks at a convention; generated code asks the schema for its data source.
      JdbcConvention convention = JdbcConvention.of(
          warehouse.dialect(),
          Schemas.subSchemaExpression(
              warehouseSchema, original.getSubSchemaNames().iterator().next(), JdbcSchema.class),
          warehouse.name());
      for (String schema : original.getSubSchemaNames()) {
        warehouseSchema.add(
            schema, new JdbcSchema(dataSource, warehouse.dialect(), convention, null, schema));
      }
    }
    return root;
  }

  public String schemaName() {
    return schemaName;
  }

  /** The virtual tables in configuration order. */
  public List<VirtualTable> tables() {
    return List.copyOf(tables.values());
  }

  public Optional<VirtualTable> table(String name) {
    return Optional.ofNullable(tables.get(name));
  }

  public Optional<Warehouse> warehouse(String name) {
    return Optional.ofNullable(warehouses.get(name));
  }

  public List<Warehouse> warehouses() {
    return List.copyOf(warehouses.values());
  }
}
