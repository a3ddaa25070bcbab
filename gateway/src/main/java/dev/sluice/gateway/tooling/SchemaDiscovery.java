package dev.sluice.gateway.tooling;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads one warehouse schema's tables through JDBC {@link DatabaseMetaData}: columns and types,
 * primary keys where the warehouse declares them, and row counts where the warehouse keeps an
 * estimate that costs nothing to read (never a {@code COUNT(*)} over a warehouse table).
 */
public final class SchemaDiscovery {
  /** Catalog queries for the estimate, by dialect; both take (schema, table). */
  private static final Map<String, String> ROW_ESTIMATES = Map.of(
      "duckdb", "SELECT estimated_size FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
      "postgresql",
      "SELECT c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
          + "WHERE n.nspname = ? AND c.relname = ? AND c.reltuples >= 0");

  /** Table types as drivers name them (DuckDB says BASE TABLE); system tables are left out. */
  private static final java.util.Set<String> TABLE_TYPES = java.util.Set.of(
      "TABLE", "BASE TABLE", "VIEW", "PARTITIONED TABLE", "MATERIALIZED VIEW", "FOREIGN TABLE", "EXTERNAL TABLE");

  private final Connection connection;
  private final String dialect;

  public SchemaDiscovery(Connection connection, String dialect) {
    this.connection = requireNonNull(connection, "connection is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
  }

  public List<DiscoveredTable> tables(String schema) throws SQLException {
    requireNonNull(schema, "schema is null");
    DatabaseMetaData metaData = connection.getMetaData();
    // Metadata names are patterns; '_' in a real name is a wildcard there, so results are
    // filtered to exact matches rather than relying on each driver's escape support.
    Map<String, String> tables = new TreeMap<>();
    try (ResultSet resultSet = metaData.getTables(null, schema, "%", null)) {
      while (resultSet.next()) {
        String type = String.valueOf(resultSet.getString("TABLE_TYPE"));
        if (schema.equals(resultSet.getString("TABLE_SCHEM")) && isTableOrView(type)) {
          tables.put(resultSet.getString("TABLE_NAME"), type);
        }
      }
    }
    List<DiscoveredTable> discovered = new ArrayList<>();
    for (Map.Entry<String, String> table : tables.entrySet()) {
      discovered.add(new DiscoveredTable(
          schema,
          table.getKey(),
          table.getValue(),
          columns(metaData, schema, table.getKey()),
          primaryKey(metaData, schema, table.getKey()),
          approximateRows(schema, table.getKey())));
    }
    return discovered;
  }

  private static boolean isTableOrView(String type) {
    return TABLE_TYPES.contains(type.toUpperCase(java.util.Locale.ROOT));
  }

  private static List<DiscoveredTable.Column> columns(DatabaseMetaData metaData, String schema, String table)
      throws SQLException {
    Map<Integer, DiscoveredTable.Column> columns = new TreeMap<>();
    try (ResultSet resultSet = metaData.getColumns(null, schema, table, "%")) {
      while (resultSet.next()) {
        if (schema.equals(resultSet.getString("TABLE_SCHEM")) && table.equals(resultSet.getString("TABLE_NAME"))) {
          columns.put(resultSet.getInt("ORDINAL_POSITION"), new DiscoveredTable.Column(
              resultSet.getString("COLUMN_NAME"),
              String.valueOf(resultSet.getString("TYPE_NAME")),
              resultSet.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
        }
      }
    }
    return List.copyOf(columns.values());
  }

  private static List<String> primaryKey(DatabaseMetaData metaData, String schema, String table) {
    Map<Integer, String> key = new TreeMap<>();
    try (ResultSet resultSet = metaData.getPrimaryKeys(null, schema, table)) {
      while (resultSet.next()) {
        if (table.equals(resultSet.getString("TABLE_NAME"))) {
          key.put(resultSet.getInt("KEY_SEQ"), resultSet.getString("COLUMN_NAME"));
        }
      }
    } catch (SQLException e) {
      // Keys are a hint for the draft, and some drivers do not implement getPrimaryKeys.
      return List.of();
    }
    return List.copyOf(key.values());
  }

  private Optional<Long> approximateRows(String schema, String table) {
    String sql = ROW_ESTIMATES.get(dialect);
    if (sql == null) {
      return Optional.empty();
    }
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, schema);
      statement.setString(2, table);
      try (ResultSet resultSet = statement.executeQuery()) {
        return resultSet.next() ? Optional.of(resultSet.getLong(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      // An estimate is a comment in the draft; without the catalog view the draft is still right.
      return Optional.empty();
    }
  }
}
