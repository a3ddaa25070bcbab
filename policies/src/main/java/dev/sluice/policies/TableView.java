package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What one principal sees of one virtual table: the visible columns, each as a SQL expression over
 * the table's own (unmasked) columns, and the row filter, a SQL condition over the same. Also lists
 * what was applied, for the audit record.
 */
public record TableView(
    String table,
    List<ColumnView> columns,
    Optional<String> rowFilter,
    List<String> appliedFilters) {
  public TableView {
    requireNonNull(table, "table is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    requireNonNull(rowFilter, "rowFilter is null");
    appliedFilters = List.copyOf(requireNonNull(appliedFilters, "appliedFilters is null"));
  }

  /** One visible column: its SQL and, when masked, the mask (for metadata and audit). */
  public record ColumnView(String name, String sql, Optional<String> mask) {
    public ColumnView {
      requireNonNull(name, "name is null");
      requireNonNull(sql, "sql is null");
      requireNonNull(mask, "mask is null");
    }
  }
}
