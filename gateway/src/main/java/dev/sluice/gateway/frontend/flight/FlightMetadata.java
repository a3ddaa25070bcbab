package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.arrow.ArrowTypeMapping;
import dev.sluice.gateway.arrow.ValueWriter;
import dev.sluice.gateway.catalog.GovernedTable;
import dev.sluice.gateway.catalog.VisibleCatalog;
import dev.sluice.policies.Principal;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlColumnMetadata;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetPrimaryKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetSqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetXdbcTypeInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedCaseSensitivity;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedTransaction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Answers Flight SQL's metadata commands from {@link VisibleCatalog}, as the Arrow tables the
 * Flight SQL specification defines: the caller sees exactly the schemas, tables, columns (masked
 * ones with their masked type) and keys it sees through JDBC, never a warehouse's own metadata.
 * Metadata results are small, so they are sent in one batch on the calling thread.
 */
final class FlightMetadata {
  static final String SERVER_NAME = "Sluice";

  private final VisibleCatalog catalog;
  private final BufferAllocator allocator;
  private final SqlInfoBuilder sqlInfo;

  FlightMetadata(VisibleCatalog catalog, BufferAllocator allocator) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.sqlInfo = new SqlInfoBuilder()
        .withFlightSqlServerName(SERVER_NAME)
        .withFlightSqlServerVersion(version(FlightMetadata.class, "0.1.0"))
        .withFlightSqlServerArrowVersion(version(Schema.class, "18.3.0"))
        .withFlightSqlServerReadOnly(true)
        .withFlightSqlServerSql(true)
        .withFlightSqlServerSubstrait(false)
        .withFlightSqlServerTransaction(SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
        .withFlightSqlServerCancel(true)
        .withSqlTransactionsSupported(false)
        .withSqlDdlCatalog(false)
        .withSqlDdlSchema(false)
        .withSqlIdentifierQuoteChar("\"")
        // The parser keeps names as written and resolves them ignoring case (SqlSettings.PARSER).
        .withSqlIdentifierCase(SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE)
        .withSqlQuotedIdentifierCase(SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE)
        // Only tables the caller may read are ever listed.
        .withSqlAllTablesAreSelectable(true);
  }

  /** Sluice has no catalogs: tables are named {@code schema.table}. */
  void catalogs(ServerStreamListener listener) {
    send(Schemas.GET_CATALOGS_SCHEMA, List.of(), listener);
  }

  void schemas(Principal principal, CommandGetDbSchemas command, ServerStreamListener listener) {
    List<Map<String, Object>> rows = new ArrayList<>();
    Optional<String> catalogName = command.hasCatalog() ? Optional.of(command.getCatalog()) : Optional.empty();
    Optional<String> pattern =
        command.hasDbSchemaFilterPattern() ? Optional.of(command.getDbSchemaFilterPattern()) : Optional.empty();
    for (String schema : catalog.schemas(principal, catalogName, pattern)) {
      rows.add(Map.of("db_schema_name", schema));
    }
    send(Schemas.GET_SCHEMAS_SCHEMA, rows, listener);
  }

  void tables(Principal principal, CommandGetTables command, ServerStreamListener listener) {
    List<Map<String, Object>> rows = new ArrayList<>();
    boolean typeMatches = command.getTableTypesList().isEmpty()
        || command.getTableTypesList().stream().anyMatch(VisibleCatalog.TABLE_TYPE::equalsIgnoreCase);
    Optional<String> catalogName = command.hasCatalog() ? Optional.of(command.getCatalog()) : Optional.empty();
    Optional<String> schemaPattern =
        command.hasDbSchemaFilterPattern() ? Optional.of(command.getDbSchemaFilterPattern()) : Optional.empty();
    Optional<String> tablePattern =
        command.hasTableNameFilterPattern() ? Optional.of(command.getTableNameFilterPattern()) : Optional.empty();
    if (typeMatches) {
      for (GovernedTable table : catalog.tables(principal, catalogName, schemaPattern, tablePattern)) {
        Map<String, Object> row = new HashMap<>();
        row.put("db_schema_name", table.schema());
        row.put("table_name", table.name());
        row.put("table_type", VisibleCatalog.TABLE_TYPE);
        if (command.getIncludeSchema()) {
          row.put("table_schema", tableSchema(table).serializeAsMessage());
        }
        rows.add(row);
      }
    }
    send(tablesSchema(command), rows, listener);
  }

  static Schema tablesSchema(CommandGetTables command) {
    return command.getIncludeSchema() ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA;
  }

  void tableTypes(ServerStreamListener listener) {
    send(Schemas.GET_TABLE_TYPES_SCHEMA, List.of(Map.of("table_type", VisibleCatalog.TABLE_TYPE)), listener);
  }

  void primaryKeys(Principal principal, CommandGetPrimaryKeys command, ServerStreamListener listener) {
    List<Map<String, Object>> rows = new ArrayList<>();
    Optional<String> catalogName = command.hasCatalog() ? Optional.of(command.getCatalog()) : Optional.empty();
    Optional<String> schema = command.hasDbSchema() ? Optional.of(command.getDbSchema()) : Optional.empty();
    for (VisibleCatalog.KeyColumn key :
        catalog.primaryKeys(principal, catalogName, schema, Optional.of(command.getTable()))) {
      rows.add(Map.of(
          "db_schema_name", key.schema(),
          "table_name", key.table(),
          "column_name", key.column(),
          "key_sequence", key.sequence(),
          "key_name", key.keyName()));
    }
    send(Schemas.GET_PRIMARY_KEYS_SCHEMA, rows, listener);
  }

  void typeInfo(CommandGetXdbcTypeInfo command, ServerStreamListener listener) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (VisibleCatalog.TypeInfo type : VisibleCatalog.types()) {
      if (command.hasDataType() && command.getDataType() != type.jdbcType()) {
        continue;
      }
      Map<String, Object> row = new HashMap<>();
      row.put("type_name", type.name());
      row.put("data_type", type.jdbcType());
      row.put("column_size", type.precision());
      type.literalPrefix().ifPresent(prefix -> row.put("literal_prefix", prefix));
      type.literalSuffix().ifPresent(suffix -> row.put("literal_suffix", suffix));
      row.put("nullable", DatabaseMetaData.typeNullable);
      row.put("case_sensitive", type.caseSensitive());
      row.put("searchable", DatabaseMetaData.typeSearchable);
      if (type.numeric()) {
        row.put("unsigned_attribute", false);
        row.put("auto_increment", false);
        row.put("num_prec_radix", 10);
      }
      row.put("fixed_prec_scale", false);
      row.put("local_type_name", type.name());
      row.put("minimum_scale", 0);
      row.put("maximum_scale", (int) type.maxScale());
      row.put("sql_data_type", type.jdbcType());
      rows.add(row);
    }
    send(Schemas.GET_TYPE_INFO_SCHEMA, rows, listener);
  }

  void sqlInfo(CommandGetSqlInfo command, ServerStreamListener listener) {
    sqlInfo.send(command.getInfoList(), listener);
  }

  /** Sluice declares no foreign keys: imported, exported and cross-reference keys are empty. */
  void noForeignKeys(Schema schema, ServerStreamListener listener) {
    send(schema, List.of(), listener);
  }

  /**
   * A table's visible columns as an Arrow schema in the {@link ArrowTypeMapping}, each field
   * carrying Flight SQL's column metadata (SQL type name, precision, scale), which the Flight SQL
   * JDBC driver turns into {@code getColumns} rows.
   */
  static Schema tableSchema(GovernedTable table) {
    List<Field> fields = new ArrayList<>();
    for (RelDataTypeField column : table.rowType().getFieldList()) {
      RelDataType type = column.getType();
      Field plain = ArrowTypeMapping.field(column.getName(), type);
      FlightSqlColumnMetadata.Builder metadata = new FlightSqlColumnMetadata.Builder()
          .schemaName(table.schema())
          .tableName(table.name())
          .typeName(type.getSqlTypeName().getName())
          .isAutoIncrement(false)
          .isCaseSensitive(type.getSqlTypeName() == SqlTypeName.CHAR || type.getSqlTypeName() == SqlTypeName.VARCHAR)
          .isReadOnly(true)
          .isSearchable(true);
      if (type.getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED) {
        metadata.precision(type.getPrecision());
      }
      if (type.getScale() != RelDataType.SCALE_NOT_SPECIFIED) {
        metadata.scale(type.getScale());
      }
      fields.add(new Field(
          plain.getName(),
          new FieldType(plain.isNullable(), plain.getType(), null, metadata.build().getMetadataMap()),
          plain.getChildren()));
    }
    return new Schema(fields);
  }

  private void send(Schema schema, List<Map<String, Object>> rows, ServerStreamListener listener) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      for (FieldVector vector : root.getFieldVectors()) {
        ValueWriter writer = null;
        for (int row = 0; row < rows.size(); row++) {
          Object value = rows.get(row).get(vector.getName());
          if (value == null) {
            vector.setNull(row);
          } else {
            writer = writer == null ? ValueWriter.forVector(vector) : writer;
            writer.write(row, value);
          }
        }
      }
      root.setRowCount(rows.size());
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }

  private static String version(Class<?> type, String fallback) {
    return Optional.ofNullable(type.getPackage().getImplementationVersion()).orElse(fallback);
  }
}
