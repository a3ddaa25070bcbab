package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What the resolver needs to know of a virtual table: its name, its columns in order, and its
 * customer key (the column row filters on the customer base follow into this table).
 */
public record TableShape(String name, List<String> columns, Optional<String> customerKey, boolean customerBase) {
  public TableShape {
    requireNonNull(name, "name is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    requireNonNull(customerKey, "customerKey is null");
  }
}
