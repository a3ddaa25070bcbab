package dev.sluice.gateway.catalog;

import static java.util.Objects.requireNonNull;

import dev.sluice.policies.Principal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The virtual schema's metadata as one principal may see it, filtered the way JDBC and Flight SQL
 * metadata calls filter (SQL LIKE patterns, no catalogs). Every protocol answers its metadata calls
 * from here, so a table or column a policy hides is absent everywhere alike.
 */
public final class VisibleCatalog {
  /** The one table type: virtual tables are views to the warehouse, tables to clients. */
  public static final String TABLE_TYPE = "TABLE";

  private static final List<TypeInfo> TYPES = List.of(
      new TypeInfo("BOOLEAN", Types.BOOLEAN, 1, Optional.empty(), false, (short) 0),
      new TypeInfo("TINYINT", Types.TINYINT, 3, Optional.empty(), false, (short) 0),
      new TypeInfo("SMALLINT", Types.SMALLINT, 5, Optional.empty(), false, (short) 0),
      new TypeInfo("INTEGER", Types.INTEGER, 10, Optional.empty(), false, (short) 0),
      new TypeInfo("BIGINT", Types.BIGINT, 19, Optional.empty(), false, (short) 0),
      new TypeInfo("DECIMAL", Types.DECIMAL, 38, Optional.empty(), false, (short) 38),
      new TypeInfo("REAL", Types.REAL, 7, Optional.empty(), false, (short) 0),
      new TypeInfo("DOUBLE", Types.DOUBLE, 15, Optional.empty(), false, (short) 0),
      new TypeInfo("CHAR", Types.CHAR, 65_536, Optional.of("'"), true, (short) 0),
      new TypeInfo("VARCHAR", Types.VARCHAR, 65_536, Optional.of("'"), true, (short) 0),
      new TypeInfo("VARBINARY", Types.VARBINARY, 65_536, Optional.of("X'"), false, (short) 0),
      new TypeInfo("DATE", Types.DATE, 10, Optional.of("DATE '"), false, (short) 0),
      new TypeInfo("TIME", Types.TIME, 12, Optional.of("TIME '"), false, (short) 3),
      new TypeInfo("TIMESTAMP", Types.TIMESTAMP, 23, Optional.of("TIMESTAMP '"), false, (short) 3));

  private final Governance governance;

  public VisibleCatalog(Governance governance) {
    this.governance = requireNonNull(governance, "governance is null");
  }

  /** The schemas holding at least one table the principal may read. */
  public List<String> schemas(Principal principal, Optional<String> catalog, Optional<String> schemaPattern) {
    requireNonNull(principal, "principal is null");
    if (namesACatalog(catalog)) {
      return List.of();
    }
    return governance.viewOf(principal).tables().stream()
        .map(GovernedTable::schema)
        .distinct()
        .filter(schema -> matches(schemaPattern, schema))
        .toList();
  }

  /** The tables the principal may read whose schema and name match the patterns. */
  public List<GovernedTable> tables(
      Principal principal, Optional<String> catalog, Optional<String> schemaPattern, Optional<String> tablePattern) {
    requireNonNull(principal, "principal is null");
    if (namesACatalog(catalog)) {
      return List.of();
    }
    List<GovernedTable> tables = new ArrayList<>();
    for (GovernedTable table : governance.viewOf(principal).tables()) {
      if (matches(schemaPattern, table.schema()) && matches(tablePattern, table.name())) {
        tables.add(table);
      }
    }
    return tables;
  }

  /**
   * The primary key columns of the readable tables named exactly (case-insensitively) by {@code
   * schema} and {@code table}, when given; columns the principal may not see are left out.
   */
  public List<KeyColumn> primaryKeys(
      Principal principal, Optional<String> catalog, Optional<String> schema, Optional<String> table) {
    requireNonNull(principal, "principal is null");
    if (namesACatalog(catalog)) {
      return List.of();
    }
    List<KeyColumn> columns = new ArrayList<>();
    for (GovernedTable visible : governance.viewOf(principal).tables()) {
      if (schema.map(visible.schema()::equalsIgnoreCase).orElse(true)
          && table.map(visible.name()::equalsIgnoreCase).orElse(true)) {
        List<String> key = visible.base().primaryKey().stream()
            .filter(column -> visible.rowType().getFieldNames().contains(column))
            .toList();
        for (int i = 0; i < key.size(); i++) {
          columns.add(new KeyColumn(visible.schema(), visible.name(), key.get(i), i + 1, visible.name() + "_pk"));
        }
      }
    }
    return columns;
  }

  /** The SQL types clients may use in queries (JDBC {@code getTypeInfo}, Flight SQL GetXdbcTypeInfo). */
  public static List<TypeInfo> types() {
    return TYPES;
  }

  /** Whether {@code name} matches a SQL LIKE pattern, ignoring case as names do; absent matches everything. */
  public static boolean matches(Optional<String> pattern, String name) {
    requireNonNull(name, "name is null");
    if (pattern.isEmpty()) {
      return true;
    }
    StringBuilder regex = new StringBuilder();
    String s = pattern.get();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        regex.append(Pattern.quote(String.valueOf(s.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL)
        .matcher(name)
        .matches();
  }

  // Sluice has no catalogs (tables are schema.table): asking for any named one finds nothing.
  private static boolean namesACatalog(Optional<String> catalog) {
    return catalog.filter(name -> !name.isEmpty()).isPresent();
  }

  /** One column of a table's primary key; {@code sequence} counts from 1. */
  public record KeyColumn(String schema, String table, String column, int sequence, String keyName) {
    public KeyColumn {
      requireNonNull(schema, "schema is null");
      requireNonNull(table, "table is null");
      requireNonNull(column, "column is null");
      requireNonNull(keyName, "keyName is null");
    }
  }

  /**
   * A SQL type clients may use: its name, JDBC type code, maximum precision, how literals of it
   * start, whether it compares case-sensitively, and its maximum scale.
   */
  public record TypeInfo(
      String name, int jdbcType, int precision, Optional<String> literalPrefix, boolean caseSensitive, short maxScale) {
    public TypeInfo {
      requireNonNull(name, "name is null");
      requireNonNull(literalPrefix, "literalPrefix is null");
    }

    /** Literals of every type with a prefix end with a quote. */
    public Optional<String> literalSuffix() {
      return literalPrefix.map(prefix -> "'");
    }

    /** Numbers are written without a prefix; BOOLEAN is not a number. */
    public boolean numeric() {
      return literalPrefix.isEmpty() && jdbcType != Types.BOOLEAN;
    }
  }
}
