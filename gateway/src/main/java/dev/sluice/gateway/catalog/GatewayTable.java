package dev.sluice.gateway.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.calcite.schema.Table;

/**
 * A table the gateway serves itself rather than a warehouse, such as the audit log's {@code
 * audit.query_log}: queries on it run in the gateway. A policy grants it whole, as {@code
 * schema.name}, with no masks or row filters.
 */
public record GatewayTable(String schema, String name, Table table, List<String> primaryKey) {
  public GatewayTable {
    requireNonNull(schema, "schema is null");
    requireNonNull(name, "name is null");
    requireNonNull(table, "table is null");
    primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
  }

  public String qualifiedName() {
    return schema + "." + name;
  }
}
