package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a planned query reads, as the principal sees the virtual schema: the tables and columns it
 * references (qualified, such as {@code cdp.customers.email}), the masks on the columns it reads
 * and the row filters on the tables it reads. Computed once when the query is planned and kept
 * with the plan, so the audit log records it for every execution without planning again.
 */
public record AccessSummary(
    List<String> tables, List<String> columns, List<AppliedMask> masks, List<AppliedFilter> rowFilters) {
  public AccessSummary {
    tables = List.copyOf(requireNonNull(tables, "tables is null"));
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    masks = List.copyOf(requireNonNull(masks, "masks is null"));
    rowFilters = List.copyOf(requireNonNull(rowFilters, "rowFilters is null"));
  }

  /** A query that reads no table, such as {@code VALUES 1}. */
  public static AccessSummary none() {
    return new AccessSummary(List.of(), List.of(), List.of(), List.of());
  }

  /** A mask the principal's policies put on a column the query reads; {@code mask} as policies name it. */
  public record AppliedMask(String table, String column, String mask) {
    public AppliedMask {
      requireNonNull(table, "table is null");
      requireNonNull(column, "column is null");
      requireNonNull(mask, "mask is null");
    }
  }

  /** A row filter on a table the query reads, as SQL over the table's columns (attributes substituted). */
  public record AppliedFilter(String table, String sql) {
    public AppliedFilter {
      requireNonNull(table, "table is null");
      requireNonNull(sql, "sql is null");
    }
  }
}
