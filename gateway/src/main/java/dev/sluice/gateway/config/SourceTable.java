package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

/** The physical table a virtual table reads: which warehouse, and the schema and table inside it. */
public record SourceTable(String warehouse, String schema, String table) {
  public SourceTable {
    requireNonNull(warehouse, "warehouse is null");
    requireNonNull(schema, "schema is null");
    requireNonNull(table, "table is null");
  }

  @Override
  public String toString() {
    return warehouse + "." + schema + "." + table;
  }
}
