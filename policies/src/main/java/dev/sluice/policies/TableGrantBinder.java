package dev.sluice.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.policies.PolicySet.Allow;
import dev.sluice.policies.PolicySet.ColumnRule;
import dev.sluice.policies.PolicySet.RowFilter;
import dev.sluice.policies.PolicySet.TableGrant;
import dev.sluice.policies.PolicySet.TableOverlay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds what one role may see of one table (the default rule, column rules and row filters), and
 * what a purpose changes of it (column rules and row filters; no default, which would silently
 * rewrite every column the purpose does not mention).
 */
final class TableGrantBinder {
  private static final List<String> KEYS = List.of("default", "columns", "row_filters");
  private static final List<String> OVERLAY_KEYS = List.of("columns", "row_filters");
  private static final List<String> ROW_FILTER_KEYS = List.of("sql", "if_attribute");

  private TableGrantBinder() {}

  static Optional<TableGrant> bind(PolicyReader.Entry table, PolicyReader reader) {
    int before = reader.problemCount();
    Optional<ObjectNode> node =
        reader.mapping(table.value(), table.path(), KEYS, " (write {} to grant every column in clear)");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    ColumnRule defaultRule = defaultRule(node.get(), table.path(), reader);
    Map<String, ColumnRule> columns = columns(node.get(), table.path(), reader);
    List<RowFilter> rowFilters = rowFilters(node.get(), table.path(), reader);
    if (reader.problemCount() > before) {
      return Optional.empty();
    }
    return Optional.of(new TableGrant(table.key(), defaultRule, columns, rowFilters));
  }

  static Optional<TableOverlay> overlay(PolicyReader.Entry table, PolicyReader reader) {
    int before = reader.problemCount();
    Optional<ObjectNode> node = reader.mapping(table.value(), table.path(), OVERLAY_KEYS, " (write columns and row_filters)");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    Map<String, ColumnRule> columns = columns(node.get(), table.path(), reader);
    List<RowFilter> rowFilters = rowFilters(node.get(), table.path(), reader);
    if (reader.problemCount() > before) {
      return Optional.empty();
    }
    return Optional.of(new TableOverlay(table.key(), columns, rowFilters));
  }

  private static ColumnRule defaultRule(ObjectNode node, String parent, PolicyReader reader) {
    String path = PolicyReader.path(parent, "default");
    Optional<JsonNode> value = PolicyReader.field(node, "default");
    if (value.isEmpty()) {
      return new Allow();
    }
    Optional<ColumnRule> rule = reader.string(value.get(), path).flatMap(ColumnRuleBinder::word);
    if (rule.isEmpty() && value.get().isValueNode()) {
      reader.problem(path, "expected allow or deny, got " + PolicyReader.describe(value.get()));
    }
    return rule.orElse(new Allow());
  }

  private static Map<String, ColumnRule> columns(ObjectNode node, String parent, PolicyReader reader) {
    String path = PolicyReader.path(parent, "columns");
    Map<String, ColumnRule> columns = new LinkedHashMap<>();
    Optional<ObjectNode> mapping = PolicyReader.field(node, "columns")
        .flatMap(value -> reader.namedMapping(value, path, ""));
    if (mapping.isEmpty()) {
      return columns;
    }
    Map<String, String> seen = PolicyReader.newNameIndex();
    for (PolicyReader.Entry column : reader.entries(mapping.get(), path)) {
      if (reader.checkName(column.key(), column.path())) {
        reader.checkUnique(seen, column.key(), column.path());
      }
      ColumnRuleBinder.bind(column.value(), column.path(), reader)
          .ifPresent(rule -> columns.put(column.key(), rule));
    }
    return columns;
  }

  private static List<RowFilter> rowFilters(ObjectNode node, String parent, PolicyReader reader) {
    String path = PolicyReader.path(parent, "row_filters");
    List<RowFilter> filters = new ArrayList<>();
    Optional<JsonNode> value = PolicyReader.field(node, "row_filters");
    if (value.isEmpty()) {
      return filters;
    }
    if (!value.get().isArray()) {
      reader.problem(path, "expected a list, got " + PolicyReader.describe(value.get()));
      return filters;
    }
    for (int index = 0; index < value.get().size(); index++) {
      rowFilter(value.get().get(index), path + "[" + index + "]", reader).ifPresent(filters::add);
    }
    return filters;
  }

  /** A row filter: a plain SQL string, or {@code { sql, if_attribute }}. */
  private static Optional<RowFilter> rowFilter(JsonNode item, String path, PolicyReader reader) {
    if (!(item instanceof ObjectNode)) {
      Optional<String> sql = reader.string(item, path);
      return sql.flatMap(text -> checked(text, Optional.empty(), path, reader));
    }
    ObjectNode object = reader.mapping(item, path, ROW_FILTER_KEYS, "").orElseThrow();
    Optional<String> sql = reader.requiredText(object, path, "sql");
    String attributePath = PolicyReader.path(path, "if_attribute");
    Optional<String> attribute = PolicyReader.field(object, "if_attribute")
        .flatMap(node -> reader.string(node, attributePath));
    boolean attributeValid = attribute.map(name -> reader.checkName(name, attributePath)).orElse(true);
    Optional<RowFilter> filter = sql.flatMap(text -> checked(text, attribute, PolicyReader.path(path, "sql"), reader));
    return attributeValid ? filter : Optional.empty();
  }

  private static Optional<RowFilter> checked(
      String sql, Optional<String> ifAttribute, String path, PolicyReader reader) {
    if (sql.isBlank()) {
      reader.problem(path, "must not be empty");
      return Optional.empty();
    }
    List<String> problems = PolicySql.rowFilterProblems(sql);
    problems.forEach(problem -> reader.problem(path, problem));
    return problems.isEmpty() ? Optional.of(new RowFilter(sql, ifAttribute)) : Optional.empty();
  }
}
