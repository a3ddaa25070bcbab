package dev.sluice.gateway.engine;

import dev.sluice.gateway.catalog.GatewayTable;
import dev.sluice.gateway.catalog.GovernedTable;
import dev.sluice.gateway.catalog.GovernedView;
import dev.sluice.gateway.catalog.SqlSettings;
import dev.sluice.gateway.catalog.VirtualCatalog;
import dev.sluice.gateway.catalog.VirtualTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * The names in a refused query that exist in the virtual schema but are hidden from the principal
 * (a table no role grants, a denied column), for the audit record: the client only ever sees "not
 * found", exactly as for a name that does not exist, but security teams want to know who tried.
 */
final class HiddenReferences {
  private HiddenReferences() {}

  /** Qualified names ({@code cdp.customers.email}, {@code audit.query_log}); empty if {@code sql} does not parse. */
  static List<String> in(String sql, VirtualCatalog catalog, GovernedView view) {
    List<SqlIdentifier> identifiers = identifiers(sql);
    List<Known> tables = new ArrayList<>();
    for (VirtualTable table : catalog.tables()) {
      Optional<GovernedTable> visible = view.table(table.name())
          .filter(governed -> governed.schema().equalsIgnoreCase(table.schema()));
      tables.add(new Known(table.schema(), table.name(), table.columnNames(),
          visible.map(governed -> governed.rowType().getFieldNames()).orElse(null)));
    }
    for (GatewayTable table : catalog.gatewayTables()) {
      boolean visible = view.tables().stream().anyMatch(governed ->
          governed.schema().equalsIgnoreCase(table.schema()) && governed.name().equalsIgnoreCase(table.name()));
      tables.add(new Known(table.schema(), table.name(), List.of(), visible ? List.of() : null));
    }
    Set<String> hidden = new LinkedHashSet<>();
    List<Known> referenced = new ArrayList<>();
    for (SqlIdentifier identifier : identifiers) {
      for (Known table : tables) {
        if (table.namedBy(identifier.names)) {
          referenced.add(table);
          if (table.visibleColumns == null) {
            hidden.add(table.qualified());
          }
        }
      }
    }
    for (SqlIdentifier identifier : identifiers) {
      String last = identifier.names.get(identifier.names.size() - 1);
      for (Known table : referenced) {
        if (table.visibleColumns != null && table.hasHiddenColumn(last)) {
          hidden.add(table.qualified() + "." + table.column(last));
        }
      }
    }
    return List.copyOf(hidden);
  }

  private static List<SqlIdentifier> identifiers(String sql) {
    List<SqlIdentifier> identifiers = new ArrayList<>();
    try {
      for (SqlNode statement : SqlParser.create(sql, SqlSettings.PARSER).parseStmtList()) {
        statement.accept(new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlIdentifier identifier) {
            if (!identifier.isStar()) {
              identifiers.add(identifier);
            }
            return null;
          }
        });
      }
    } catch (SqlParseException | RuntimeException e) {
      // A query that does not parse references nothing we could name.
      return List.of();
    }
    return identifiers;
  }

  /** A table of the virtual schema; {@code visibleColumns} is null when the table itself is hidden. */
  private record Known(String schema, String name, List<String> columns, List<String> visibleColumns) {
    boolean namedBy(List<String> names) {
      int size = names.size();
      if (size == 1) {
        return names.get(0).equalsIgnoreCase(name);
      }
      return names.get(size - 1).equalsIgnoreCase(name) && names.get(size - 2).equalsIgnoreCase(schema);
    }

    boolean hasHiddenColumn(String column) {
      return columns.stream().anyMatch(column::equalsIgnoreCase)
          && visibleColumns.stream().noneMatch(column::equalsIgnoreCase);
    }

    String column(String column) {
      return columns.stream().filter(column::equalsIgnoreCase).findFirst().orElse(column.toLowerCase(Locale.ROOT));
    }

    String qualified() {
      return schema + "." + name;
    }
  }
}
