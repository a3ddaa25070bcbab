package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** A table of the virtual schema: its kind, the physical table it maps onto, its keys and columns. */
public record VirtualTableConfig(
    String name,
    TableKind kind,
    SourceTable source,
    List<String> primaryKey,
    Optional<String> customerKey,
    Optional<String> timeColumn,
    List<ColumnConfig> columns) {

  public VirtualTableConfig {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(source, "source is null");
    primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
    requireNonNull(customerKey, "customerKey is null");
    requireNonNull(timeColumn, "timeColumn is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
  }

  public Optional<ColumnConfig> column(String name) {
    requireNonNull(name, "name is null");
    return columns.stream().filter(column -> column.name().equals(name)).findFirst();
  }
}
