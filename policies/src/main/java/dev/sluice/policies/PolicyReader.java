package dev.sluice.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a policy file's YAML tree. It records every mistake with its key path
 * instead of stopping at the first, so whoever fixes the file sees everything wrong at once.
 */
final class PolicyReader {
  static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** One entry of a YAML mapping, with the key path of its value. */
  record Entry(String key, String path, JsonNode value) {}

  private final Function<String, Optional<String>> variables;
  private final List<String> problems = new ArrayList<>();

  PolicyReader(Function<String, Optional<String>> variables) {
    this.variables = variables;
  }

  void problem(String path, String message) {
    problems.add((path.isEmpty() ? "(top level)" : path) + ": " + message);
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  /** How many problems so far; binders compare it before and after to know whether a part was valid. */
  int problemCount() {
    return problems.size();
  }

  /** The value of an environment variable, such as a salt; never quoted in messages. */
  Optional<String> variable(String name) {
    return variables.apply(name);
  }

  static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /**
   * The node as a mapping whose keys must all be among {@code allowedKeys}; {@code hint} ends the
   * message when it is something else (such as a bare {@code customers:}, which is null).
   */
  Optional<ObjectNode> mapping(JsonNode node, String path, List<String> allowedKeys, String hint) {
    Optional<ObjectNode> mapping = namedMapping(node, path, hint);
    mapping.ifPresent(object -> object.fieldNames().forEachRemaining(key -> {
      if (!allowedKeys.contains(key)) {
        problem(path(path, key), "unknown key (expected " + oneOf(allowedKeys) + ")");
      }
    }));
    return mapping;
  }

  /** The node as a mapping keyed by names (roles, tables, columns), so with any keys. */
  Optional<ObjectNode> namedMapping(JsonNode node, String path, String hint) {
    if (node instanceof ObjectNode object) {
      return Optional.of(object);
    }
    problem(path, "expected a mapping, got " + describe(node) + hint);
    return Optional.empty();
  }

  List<Entry> entries(ObjectNode object, String path) {
    List<Entry> entries = new ArrayList<>();
    object.fields().forEachRemaining(field ->
        entries.add(new Entry(field.getKey(), path(path, field.getKey()), field.getValue())));
    return entries;
  }

  /** The value under {@code key}; an explicit YAML null counts as absent. */
  static Optional<JsonNode> field(ObjectNode object, String key) {
    JsonNode value = object.get(key);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  /** A scalar as text; numbers and booleans are taken as written. */
  Optional<String> string(JsonNode node, String path) {
    if (node == null || !node.isValueNode() || node.isNull()) {
      problem(path, "expected a string, got " + describe(node));
      return Optional.empty();
    }
    return Optional.of(node.asText());
  }

  /** The string under {@code key}, which must be present and not blank. */
  Optional<String> requiredText(ObjectNode object, String parent, String key) {
    String path = path(parent, key);
    Optional<JsonNode> value = field(object, key);
    if (value.isEmpty()) {
      problem(path, "is required");
      return Optional.empty();
    }
    Optional<String> text = string(value.get(), path);
    if (text.isPresent() && text.get().isBlank()) {
      problem(path, "must not be empty");
      return Optional.empty();
    }
    return text;
  }

  /** Checks that a name can be used unquoted in SQL, as roles, tables, columns and attributes are. */
  boolean checkName(String name, String path) {
    if (NAME.matcher(name).matches()) {
      return true;
    }
    problem(path, "invalid name '" + name
        + "': use letters, digits and underscores, starting with a letter or underscore");
    return false;
  }

  /**
   * Reports a name that differs from an earlier one only in case: unquoted SQL identifiers are
   * case-insensitive, so both would stand for the same role, table or column.
   */
  void checkUnique(Map<String, String> seen, String name, String path) {
    String previous = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
    if (previous != null) {
      problem(path, "duplicate name (same as '" + previous + "'; names are case-insensitive)");
    }
  }

  static Map<String, String> newNameIndex() {
    return new HashMap<>();
  }

  static String oneOf(List<String> choices) {
    return choices.size() == 1 ? choices.get(0) : "one of " + String.join(", ", choices);
  }

  static String describe(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return "'" + node.asText() + "'";
  }
}
