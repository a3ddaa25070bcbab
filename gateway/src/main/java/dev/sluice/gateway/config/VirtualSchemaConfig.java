package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** The virtual schema clients query, as a list of tables mapped onto warehouse tables. */
public record VirtualSchemaConfig(String name, List<VirtualTableConfig> tables) {
  public static final String DEFAULT_NAME = "cdp";

  public VirtualSchemaConfig {
    requireNonNull(name, "name is null");
    tables = List.copyOf(requireNonNull(tables, "tables is null"));
  }

  public Optional<VirtualTableConfig> table(String name) {
    requireNonNull(name, "name is null");
    return tables.stream().filter(table -> table.name().equals(name)).findFirst();
  }
}
