package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything a policy file says: the roles and, per role, which virtual tables it may read and how;
 * and the purposes a principal may declare, each refining what the roles allowed to declare it see.
 * A table no role of a principal grants does not exist for that principal.
 */
public record PolicySet(Map<String, Role> roles, Map<String, Purpose> purposes) {
  public PolicySet {
    roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(roles, "roles is null")));
    purposes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(purposes, "purposes is null")));
  }

  /** Roles without purposes. */
  public PolicySet(Map<String, Role> roles) {
    this(roles, Map.of());
  }

  public Optional<Role> role(String name) {
    return Optional.ofNullable(roles.get(name));
  }

  /** The purpose named {@code name}, compared case-insensitively like every name in the file. */
  public Optional<Purpose> purpose(String name) {
    return purposes.values().stream().filter(purpose -> purpose.name().equalsIgnoreCase(name)).findFirst();
  }

  /**
   * One role: its grants keyed by virtual table name ({@code schema.table} or just {@code table}),
   * and, for an aggregation-only role, the minimum number of distinct customers every result group
   * must aggregate ({@code min_group_size}); with {@code requiresPurpose}, its users must declare
   * a purpose before they may query ({@code requires_purpose}).
   */
  public record Role(String name, Map<String, TableGrant> tables, OptionalInt minGroupSize, boolean requiresPurpose) {
    public Role {
      requireNonNull(name, "name is null");
      tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(tables, "tables is null")));
      requireNonNull(minGroupSize, "minGroupSize is null");
    }

    /** A role that does not require a purpose. */
    public Role(String name, Map<String, TableGrant> tables, OptionalInt minGroupSize) {
      this(name, tables, minGroupSize, false);
    }

    /** A role without a minimum group size that does not require a purpose. */
    public Role(String name, Map<String, TableGrant> tables) {
      this(name, tables, OptionalInt.empty());
    }
  }

  /**
   * A purpose a principal may declare (such as {@code email_marketing}): the roles allowed to
   * declare it, and per table an overlay on those roles' grants. A principal declaring it sees,
   * through each of its roles listed here, that role's grant with the overlay's column rules in
   * place of the role's rules for those columns and the overlay's row filters ANDed to the role's.
   * An overlay only refines a table the role already grants; it never grants one.
   */
  public record Purpose(String name, Optional<String> description, List<String> roles, Map<String, TableOverlay> tables) {
    public Purpose {
      requireNonNull(name, "name is null");
      requireNonNull(description, "description is null");
      roles = List.copyOf(requireNonNull(roles, "roles is null"));
      tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(tables, "tables is null")));
    }

    /** Whether a principal holding {@code role} may declare this purpose. */
    public boolean allows(String role) {
      return roles.stream().anyMatch(role::equalsIgnoreCase);
    }
  }

  /** What a purpose changes of one table: column rules that replace the role's, and row filters ANDed to its. */
  public record TableOverlay(String table, Map<String, ColumnRule> columns, List<RowFilter> rowFilters) {
    public TableOverlay {
      requireNonNull(table, "table is null");
      columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(columns, "columns is null")));
      rowFilters = List.copyOf(requireNonNull(rowFilters, "rowFilters is null"));
    }

    /** {@code grant} as a principal declaring the purpose sees it. */
    public TableGrant applyTo(TableGrant grant) {
      Map<String, ColumnRule> merged = new LinkedHashMap<>();
      grant.columns().forEach((column, rule) -> {
        if (columns.keySet().stream().noneMatch(column::equalsIgnoreCase)) {
          merged.put(column, rule);
        }
      });
      merged.putAll(columns);
      List<RowFilter> filters = new java.util.ArrayList<>(grant.rowFilters());
      filters.addAll(rowFilters);
      return new TableGrant(grant.table(), grant.defaultRule(), merged, filters);
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
