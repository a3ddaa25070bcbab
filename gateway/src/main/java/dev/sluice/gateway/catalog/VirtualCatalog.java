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
import java.util.stream.Collectors;
import org.apache.calcite.adapter.java.JavaTypeFactory;
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
 * The two Calcite schema trees the engine works with. The <em>physical</em> root holds one JDBC
 * schema per warehouse schema and is only ever reached through view expansion; the
 * <em>virtual</em> root holds the client-visible schema, whose tables are views over the physical
 * tables. Client SQL is validated against the virtual root alone, so physical names are unreachable.
 */
public final class VirtualCatalog {
  private final JavaTypeFactory typeFactory;
  private final SchemaPlus physicalRoot;
  private final SchemaPlus virtualRoot;
  private final String schemaName;
  private final Map<String, VirtualTable> tables;
  private final Map<String, Warehouse> warehouses;

  private VirtualCatalog(
      JavaTypeFactory typeFactory,
      SchemaPlus physicalRoot,
      SchemaPlus virtualRoot,
      String schemaName,
      Map<String, VirtualTable> tables,
      Map<String, Warehouse> warehouses) {
    this.typeFactory = typeFactory;
    this.physicalRoot = physicalRoot;
    this.virtualRoot = virtualRoot;
    this.schemaName = schemaName;
    this.tables = tables;
    this.warehouses = warehouses;
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

    SchemaPlus virtualRoot = CalciteSchema.createRootSchema(false, true).plus();
    SchemaPlus virtualSchema = virtualRoot.add(config.name(), new AbstractSchema());
    CalciteCatalogReader physicalReader =
        new CalciteCatalogReader(
            CalciteSchema.from(physicalRoot), List.of(), typeFactory, SqlSettings.CONNECTION);
    Map<String, VirtualTable> tables = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (VirtualTableConfig table : config.tables()) {
      String viewSql = viewSql(table);
      try {
        RelDataType rowType = validatedRowType(viewSql, physicalReader, typeFactory);
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
        virtualRoot,
        config.name(),
        Collections.unmodifiableMap(tables),
        Collections.unmodifiableMap(warehouses));
  }

  /**
   * One JDBC schema per (warehouse, physical schema) used by the virtual schema. All schemas of
   * one warehouse share one convention, so joins between them are pushed down together.
   */
  private static void addPhysicalSchemas(
      SchemaPlus physicalRoot, VirtualSchemaConfig config, Map<String, Warehouse> warehouses) {
    Map<String, Set<String>> schemasByWarehouse = new LinkedHashMap<>();
    for (VirtualTableConfig table : config.tables()) {
      schemasByWarehouse
          .computeIfAbsent(table.source().warehouse(), name -> new LinkedHashSet<>())
          .add(table.source().schema());
    }
    schemasByWarehouse.forEach(
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
                  warehouseSchema, schemas.iterator().next(), JdbcSchema.class);
          JdbcConvention convention =
              JdbcConvention.of(warehouse.dialect(), expression, warehouseName);
          for (String schema : schemas) {
            warehouseSchema.add(
                schema,
                new JdbcSchema(
                    warehouse.dataSource(), warehouse.dialect(), convention, null, schema));
          }
        });
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

  private static RelDataType validatedRowType(
      String sql, CalciteCatalogReader reader, JavaTypeFactory typeFactory) throws Exception {
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

  public SchemaPlus virtualRoot() {
    return virtualRoot;
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
