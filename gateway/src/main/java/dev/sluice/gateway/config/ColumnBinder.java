package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the {@code columns} of a virtual table. A column is written either as the physical column
 * name, or as a mapping with {@code column} or {@code expression} and an optional {@code type}.
 */
final class ColumnBinder {
  private static final List<String> KEYS = List.of("column", "expression", "type");

  private ColumnBinder() {}

  static List<ColumnConfig> bind(ObjectNode table, String tablePath, ConfigReader reader) {
    Optional<ObjectNode> columns = reader.nonEmptyMapping(table, tablePath, "columns", "column");
    if (columns.isEmpty()) {
      return List.of();
    }
    List<ColumnConfig> bound = new ArrayList<>();
    Map<String, String> names = ConfigReader.newNameIndex();
    for (ConfigReader.Entry entry : reader.entries(columns.get(), ConfigReader.path(tablePath, "columns"))) {
      if (reader.checkName(entry.key(), entry.path())) {
        reader.checkUnique(names, entry.key(), entry.path());
      }
      column(entry, reader).ifPresent(bound::add);
    }
    return bound;
  }

  private static Optional<ColumnConfig> column(ConfigReader.Entry entry, ConfigReader reader) {
    if (entry.value().isValueNode() && !entry.value().isNull()) {
      return reader.string(entry.value(), entry.path())
          .filter(physical -> nonBlank(physical, entry.path(), reader))
          .map(physical -> ColumnConfig.physical(entry.key(), physical));
    }
    if (!entry.value().isObject()) {
      reader.problem(entry.path(), "expected a physical column name or a mapping with column or expression, got "
          + ConfigReader.describe(entry.value()));
      return Optional.empty();
    }
    ObjectNode node = (ObjectNode) entry.value();
    reader.checkKeys(node, entry.path(), KEYS);
    int before = reader.problemCount();
    Optional<String> column = reader.optionalString(node, entry.path(), "column")
        .filter(physical -> nonBlank(physical, ConfigReader.path(entry.path(), "column"), reader));
    Optional<String> expression = reader.optionalString(node, entry.path(), "expression");
    expression.flatMap(SqlSyntax::expressionProblem)
        .ifPresent(problem -> reader.problem(ConfigReader.path(entry.path(), "expression"), problem));
    Optional<String> type = reader.optionalString(node, entry.path(), "type");
    type.flatMap(SqlSyntax::typeProblem)
        .ifPresent(problem -> reader.problem(ConfigReader.path(entry.path(), "type"), problem));
    boolean hasColumn = ConfigReader.field(node, "column").isPresent();
    if (hasColumn == ConfigReader.field(node, "expression").isPresent()) {
      reader.problem(entry.path(), hasColumn
          ? "set either column or expression, not both"
          : "one of column or expression is required");
    }
    if (reader.problemCount() > before) {
      return Optional.empty();
    }
    return Optional.of(new ColumnConfig(entry.key(), column, expression, type));
  }

  private static boolean nonBlank(String value, String path, ConfigReader reader) {
    if (value.isBlank()) {
      reader.problem(path, "must not be empty");
      return false;
    }
    return true;
  }
}
