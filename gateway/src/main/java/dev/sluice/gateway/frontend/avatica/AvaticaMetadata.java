package dev.sluice.gateway.frontend.avatica;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.catalog.GovernedTable;
import dev.sluice.gateway.catalog.Governance;
import dev.sluice.gateway.catalog.VisibleCatalog;
import dev.sluice.policies.Principal;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.rel.type.RelDataTypeField;

/**
 * JDBC {@code DatabaseMetaData} answers for the virtual schema as the caller may see it (never from
 * a warehouse): catalogs, schemas, tables, columns (masked columns with their masked type), table
 * types, type info and primary keys. Tables and columns the caller may not read are absent: the
 * filtering is {@link VisibleCatalog}'s, shared with the other protocols.
 */
final class AvaticaMetadata {
  static final String TABLE_TYPE = VisibleCatalog.TABLE_TYPE;

  private final VisibleCatalog catalog;

  AvaticaMetadata(Governance governance) {
    this.catalog = new VisibleCatalog(requireNonNull(governance, "governance is null"));
  }

  Map<Meta.DatabaseProperty, Object> databaseProperties() {
    Map<Meta.DatabaseProperty, Object> properties = new EnumMap<>(Meta.DatabaseProperty.class);
    properties.put(Meta.DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "Sluice");
    properties.put(Meta.DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, "0.1.0");
    properties.put(Meta.DatabaseProperty.GET_DRIVER_NAME, "Sluice (Avatica remote)");
    properties.put(Meta.DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, java.sql.Connection.TRANSACTION_NONE);
    properties.put(Meta.DatabaseProperty.GET_NUMERIC_FUNCTIONS, "ABS,CEIL,FLOOR,MOD,POWER,ROUND,SQRT,EXP,LN,LOG10");
    properties.put(Meta.DatabaseProperty.GET_STRING_FUNCTIONS, "CHAR_LENGTH,LOWER,UPPER,TRIM,SUBSTRING,POSITION,OVERLAY");
    properties.put(Meta.DatabaseProperty.GET_TIME_DATE_FUNCTIONS, "CURRENT_DATE,CURRENT_TIMESTAMP,EXTRACT,FLOOR,CEIL");
    return properties;
  }

  /** Sluice has no catalogs: tables are named {@code schema.table}. */
  Meta.MetaResultSet catalogs(Principal principal, String connectionId, int statementId) {
    return resultSet(connectionId, statementId, MetaImpl.MetaCatalog.class, List.of());
  }

  Meta.MetaResultSet schemas(
      Principal principal, String connectionId, int statementId, String catalogName, Meta.Pat schemaPattern) {
    List<Object> rows = new ArrayList<>();
    for (String schema : catalog.schemas(principal, Optional.ofNullable(catalogName), pattern(schemaPattern))) {
      rows.add(new MetaImpl.MetaSchema(null, schema));
    }
    return resultSet(connectionId, statementId, MetaImpl.MetaSchema.class, rows);
  }

  Meta.MetaResultSet tables(
      Principal principal,
      String connectionId,
      int statementId,
      String catalogName,
      Meta.Pat schemaPattern,
      Meta.Pat tablePattern,
      List<String> types) {
    List<Object> rows = new ArrayList<>();
    boolean typeMatches = types == null || types.stream().anyMatch(TABLE_TYPE::equalsIgnoreCase);
    for (GovernedTable table : visibleTables(principal, catalogName, schemaPattern, tablePattern)) {
      if (typeMatches) {
        rows.add(new MetaImpl.MetaTable(null, table.schema(), table.name(), TABLE_TYPE));
      }
    }
    return resultSet(connectionId, statementId, MetaImpl.MetaTable.class, rows);
  }

  Meta.MetaResultSet columns(
      Principal principal,
      String connectionId,
      int statementId,
      String catalogName,
      Meta.Pat schemaPattern,
      Meta.Pat tablePattern,
      Meta.Pat columnPattern) {
    List<Object> rows = new ArrayList<>();
    for (GovernedTable table : visibleTables(principal, catalogName, schemaPattern, tablePattern)) {
      for (RelDataTypeField field : table.rowType().getFieldList()) {
        if (!matches(columnPattern, field.getName())) {
          continue;
        }
        boolean nullable = field.getType().isNullable();
        rows.add(
            new MetaImpl.MetaColumn(
                null,
                table.schema(),
                table.name(),
                field.getName(),
                AvaticaTypes.jdbcType(field.getType()),
                AvaticaTypes.typeName(field.getType()),
                AvaticaTypes.columnSize(field.getType()),
                AvaticaTypes.decimalDigits(field.getType()),
                10,
                nullable ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
                charOctetLength(field),
                field.getIndex() + 1,
                nullable ? "YES" : "NO"));
      }
    }
    return resultSet(connectionId, statementId, MetaImpl.MetaColumn.class, rows);
  }

  Meta.MetaResultSet primaryKeys(
      Principal principal, String connectionId, int statementId, String schema, String tableName) {
    List<Object> rows = new ArrayList<>();
    for (VisibleCatalog.KeyColumn key :
        catalog.primaryKeys(principal, Optional.empty(), Optional.ofNullable(schema), Optional.ofNullable(tableName))) {
      rows.add(
          new PrimaryKeyRow(null, key.schema(), key.table(), key.column(), (short) key.sequence(), key.keyName()));
    }
    return resultSet(connectionId, statementId, PrimaryKeyRow.class, rows);
  }

  Meta.MetaResultSet tableTypes(Principal principal, String connectionId, int statementId) {
    return resultSet(
        connectionId, statementId, MetaImpl.MetaTableType.class, List.of(new MetaImpl.MetaTableType(TABLE_TYPE)));
  }

  Meta.MetaResultSet typeInfo(String connectionId, int statementId) {
    List<Object> rows = new ArrayList<>();
    for (VisibleCatalog.TypeInfo type : VisibleCatalog.types()) {
      rows.add(type(type));
    }
    return resultSet(connectionId, statementId, MetaImpl.MetaTypeInfo.class, rows);
  }

  private static MetaImpl.MetaTypeInfo type(VisibleCatalog.TypeInfo type) {
    return new MetaImpl.MetaTypeInfo(
        type.name(),
        type.jdbcType(),
        type.precision(),
        type.literalPrefix().orElse(null),
        type.literalSuffix().orElse(null),
        (short) DatabaseMetaData.typeNullable,
        type.caseSensitive(),
        (short) DatabaseMetaData.typeSearchable,
        !type.numeric(),
        false,
        false,
        (short) 0,
        type.maxScale(),
        10);
  }

  private List<GovernedTable> visibleTables(
      Principal principal, String catalogName, Meta.Pat schemaPattern, Meta.Pat tablePattern) {
    return catalog.tables(principal, Optional.ofNullable(catalogName), pattern(schemaPattern), pattern(tablePattern));
  }

  private static Integer charOctetLength(RelDataTypeField field) {
    return switch (field.getType().getSqlTypeName()) {
      case CHAR, VARCHAR -> AvaticaTypes.columnSize(field.getType());
      default -> null;
    };
  }

  /** JDBC patterns are SQL LIKE patterns; null means everything. Matching ignores case, as names do. */
  static boolean matches(Meta.Pat pattern, String name) {
    return VisibleCatalog.matches(pattern(pattern), name);
  }

  private static Optional<String> pattern(Meta.Pat pattern) {
    return pattern == null ? Optional.empty() : Optional.ofNullable(pattern.s);
  }

  private static Meta.MetaResultSet resultSet(
      String connectionId, int statementId, Class<?> type, List<Object> records) {
    List<ColumnMetaData> columns = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    for (Field field : type.getFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        fields.add(field);
      }
    }
    ColumnMetaData.StructType struct = GatewayMeta.describe(type);
    columns.addAll(struct.columns);
    List<Object> rows = new ArrayList<>(records.size());
    for (Object record : records) {
      List<Object> row = new ArrayList<>(fields.size());
      for (Field field : fields) {
        try {
          row.add(field.get(record));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
      rows.add(row);
    }
    Meta.Signature signature =
        new Meta.Signature(
            columns, "", List.of(), null, Meta.CursorFactory.LIST, Meta.StatementType.SELECT);
    return Meta.MetaResultSet.create(
        connectionId, statementId, true, signature, new Meta.Frame(0, true, rows));
  }

  /** The columns of {@code getPrimaryKeys} (Avatica's own {@code MetaPrimaryKey} cannot be built outside its package). */
  public static final class PrimaryKeyRow {
    public final String tableCat;
    public final String tableSchem;
    public final String tableName;
    public final String columnName;
    public final short keySeq;
    public final String pkName;

    PrimaryKeyRow(
        String tableCat, String tableSchem, String tableName, String columnName, short keySeq, String pkName) {
      this.tableCat = tableCat;
      this.tableSchem = tableSchem;
      this.tableName = tableName;
      this.columnName = columnName;
      this.keySeq = keySeq;
      this.pkName = pkName;
    }
  }
}
