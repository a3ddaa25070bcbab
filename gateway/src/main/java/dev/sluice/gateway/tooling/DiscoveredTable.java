package dev.sluice.gateway.tooling;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** A warehouse table as its JDBC metadata describes it, the input of a draft virtual table. */
public record DiscoveredTable(
    String schema, String name, String type, List<Column> columns, List<String> primaryKey, Optional<Long> approximateRows) {
  public DiscoveredTable {
    requireNonNull(schema, "schema is null");
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
    requireNonNull(approximateRows, "approximateRows is null");
  }

  /** One column: its physical name, the warehouse's type name, and whether it may be null. */
  public record Column(String name, String type, boolean nullable) {
    public Column {
      requireNonNull(name, "name is null");
      requireNonNull(type, "type is null");
    }
  }
}
