package dev.sluice.gateway.catalog;

import static java.util.Objects.requireNonNull;

import dev.sluice.policies.TableView;
import org.apache.calcite.rel.type.RelDataType;

/** A virtual table as one principal sees it: the masked row type, what was applied, and the table behind it. */
public record GovernedTable(VirtualTable base, RelDataType rowType, TableView view, String viewSql) {
  public GovernedTable {
    requireNonNull(base, "base is null");
    requireNonNull(rowType, "rowType is null");
    requireNonNull(view, "view is null");
    requireNonNull(viewSql, "viewSql is null");
  }

  public String schema() {
    return base.schema();
  }

  public String name() {
    return base.name();
  }
}
