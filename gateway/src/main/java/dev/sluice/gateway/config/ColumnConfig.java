package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A column of a virtual table: either a physical column of the source table or a SQL expression
 * over its physical columns, optionally with the SQL type it is cast to.
 */
public record ColumnConfig(
    String name, Optional<String> column, Optional<String> expression, Optional<String> type) {

  public ColumnConfig {
    requireNonNull(name, "name is null");
    requireNonNull(column, "column is null");
    requireNonNull(expression, "expression is null");
    requireNonNull(type, "type is null");
    if (column.isPresent() == expression.isPresent()) {
      throw new IllegalArgumentException(
          "column " + name + " needs exactly one of a physical column and an expression");
    }
  }

  public static ColumnConfig physical(String name, String column) {
    return new ColumnConfig(name, Optional.of(column), Optional.empty(), Optional.empty());
  }

  public static ColumnConfig expression(String name, String expression) {
    return new ColumnConfig(name, Optional.empty(), Optional.of(expression), Optional.empty());
  }
}
