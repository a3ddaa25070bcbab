package dev.sluice.gateway.catalog;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.config.TableKind;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.rel.type.RelDataType;

/**
 * One table of the virtual schema as clients see it: its columns with their SQL types, the
 * warehouse it lives in, its declared keys and the view SQL that maps it onto the physical table.
 */
public record VirtualTable(
    String schema,
    String name,
    TableKind kind,
    String warehouse,
    RelDataType rowType,
    List<String> primaryKey,
    Optional<String> customerKey,
    String viewSql) {
  public VirtualTable {
    requireNonNull(schema, "schema is null");
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(warehouse, "warehouse is null");
    requireNonNull(rowType, "rowType is null");
    primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
    requireNonNull(customerKey, "customerKey is null");
    requireNonNull(viewSql, "viewSql is null");
  }

  public List<String> columnNames() {
    return rowType.getFieldNames();
  }
}
