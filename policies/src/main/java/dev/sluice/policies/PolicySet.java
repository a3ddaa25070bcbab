package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything a policy file says: the roles and, per role, which virtual tables it may read and how.
 * A table no role of a principal grants does not exist for that principal.
 */
public record PolicySet(Map<String, Role> roles) {
  public PolicySet {
    roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(roles, "roles is null")));
  }

  public Optional<Role> role(String name) {
    return Optional.ofNullable(roles.get(name));
  }

  /**
   * One role: its grants keyed by virtual table name ({@code schema.table} or just {@code table}),
   * and, for an aggregation-only role, the minimum number of distinct customers every result group
   * must aggregate ({@code min_group_size}).
   */
  public record Role(String name, Map<String, TableGrant> tables, OptionalInt minGroupSize) {
    public Role {
      requireNonNull(name, "name is null");
      tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(tables, "tables is null")));
      requireNonNull(minGroupSize, "minGroupSize is null");
    }

    /** A role without a minimum group size. */
    public Role(String name, Map<String, TableGrant> tables) {
      this(name, tables, OptionalInt.empty());
    }
  }

  /**
   * What a role may see of one table: columns not listed get {@code defaultRule}; row filters are
   * ANDed together (a row must pass all of this grant's filters).
   */
  public record TableGrant(
      String table, ColumnRule defaultRule, Map<String, ColumnRule> columns, List<RowFilter> rowFilters) {
    public TableGrant {
      requireNonNull(table, "table is null");
      requireNonNull(defaultRule, "defaultRule is null");
      columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(columns, "columns is null")));
      rowFilters = List.copyOf(requireNonNull(rowFilters, "rowFilters is null"));
    }

    public ColumnRule rule(String column) {
      return columns.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(column))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(defaultRule);
    }
  }

  /** Whether and how one column is visible. */
  public sealed interface ColumnRule permits Allow, Deny, Masked {}

  /** The clear value. */
  public record Allow() implements ColumnRule {}

  /** The column does not exist for the role: absent from metadata and {@code SELECT *}, an error if named. */
  public record Deny() implements ColumnRule {}

  /** The column is replaced by its masked value at the scan. */
  public record Masked(Mask mask) implements ColumnRule {
    public Masked {
      requireNonNull(mask, "mask is null");
    }
  }

  /**
   * A SQL condition over the table's columns (other virtual tables may appear in subqueries);
   * {@code ${user.NAME}} stands for the user's attribute as a string literal and
   * {@code CURRENT_USER} for the user name. With {@code ifAttribute}, the filter applies only to
   * users that have that attribute; without it, a user lacking a referenced attribute cannot read
   * the table at all (fail closed).
   */
  public record RowFilter(String sql, Optional<String> ifAttribute) {
    public RowFilter {
      requireNonNull(sql, "sql is null");
      requireNonNull(ifAttribute, "ifAttribute is null");
    }
  }
}
