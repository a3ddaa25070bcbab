package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.rel.type.RelDataType;

/** One column of a query result: its label and SQL type (which fixes its JDBC and Arrow types). */
public record ResultColumn(String name, RelDataType type) {
  public ResultColumn {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }
}
