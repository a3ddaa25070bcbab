package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of the YAML tree for the binders. Instead of stopping at the first
 * mistake it records each one with the key path where it happened, so that a user fixing a file
 * sees everything that is wrong at once.
 */
final class ConfigReader {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  // Units are required: a bare number would leave the reader guessing between seconds and millis.
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})\\s*(ms|s|m|h|d)");

  /** One entry of a YAML mapping, with the key path of its value. */
  record Entry(String key, String path, JsonNode value) {}

  private final VariableResolver variables;
  private final List<String> problems = new ArrayList<>();

  ConfigReader(VariableResolver variables) {
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

  VariableResolver variables() {
    return variables;
  }

  static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** The node as a mapping whose keys must all be among {@code allowedKeys}. */
  Optional<ObjectNode> mapping(JsonNode node, String path, List<String> allowedKeys) {
    Optional<ObjectNode> mapping = mapping(node, path);
    mapping.ifPresent(object -> checkKeys(object, path, allowedKeys));
    return mapping;
  }

  /** The node as a mapping with any keys, such as {@code warehouses} keyed by name. */
  Optional<ObjectNode> mapping(JsonNode node, String path) {
    if (node instanceof ObjectNode object) {
      return Optional.of(object);
    }
    problem(path, "expected a mapping, got " + describe(node));
    return Optional.empty();
  }

  /**
   * The mapping under {@code key} that names things (warehouses, tables, users, columns), which
   * must name at least one; {@code what} is the singular for the message.
   */
  Optional<ObjectNode> nonEmptyMapping(ObjectNode parent, String parentPath, String key, String what) {
    String path = path(parentPath, key);
    Optional<JsonNode> value = field(parent, key);
    if (value.isEmpty()) {
      problem(path, "at least one " + what + " is required");
      return Optional.empty();
    }
    Optional<ObjectNode> mapping = mapping(value.get(), path);
    if (mapping.isPresent() && mapping.get().isEmpty()) {
      problem(path, "at least one " + what + " is required");
      return Optional.empty();
    }
    return mapping;
  }

  void checkKeys(ObjectNode object, String path, List<String> allowedKeys) {
    object.fieldNames().forEachRemaining(key -> {
      if (!allowedKeys.contains(key)) {
        problem(path(path, key), "unknown key (expected one of " + String.join(", ", allowedKeys) + ")");
      }
    });
  }

  List<Entry> entries(ObjectNode object, String path) {
    List<Entry> entries = new ArrayList<>();
    object.fields().forEachRemaining(field ->
        entries.add(new Entry(field.getKey(), path(path, field.getKey()), field.getValue())));
    return entries;
  }

  /** The value under {@code key}; an explicit YAML null counts as absent, as it does for users. */
  static Optional<JsonNode> field(ObjectNode object, String key) {
    JsonNode value = object.get(key);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  Optional<String> requiredString(ObjectNode object, String parent, String key) {
    String path = path(parent, key);
    Optional<JsonNode> value = field(object, key);
    if (value.isEmpty()) {
      problem(path, "is required");
      return Optional.empty();
    }
    return string(value.get(), path);
  }

  Optional<String> optionalString(ObjectNode object, String parent, String key) {
    return field(object, key).flatMap(value -> string(value, path(parent, key)));
  }

  /** A scalar as text, with {@code ${NAME}} substituted; numbers and booleans are taken as written. */
  Optional<String> string(JsonNode node, String path) {
    if (!node.isValueNode() || node.isNull()) {
      problem(path, "expected a string, got " + describe(node));
      return Optional.empty();
    }
    return VariableSubstitution.substitute(node.asText(), variables, message -> problem(path, message));
  }

  Optional<String> requiredNonBlankString(ObjectNode object, String parent, String key) {
    Optional<String> value = requiredString(object, parent, key);
    if (value.isPresent() && value.get().isBlank()) {
      problem(path(parent, key), "must not be empty");
      return Optional.empty();
    }
    return value;
  }

  /**
   * The integer under {@code key}, or {@code defaultValue} when absent. Text is accepted when it is
   * an integer after substitution so that {@code port: ${PORT}} works.
   */
  int integer(ObjectNode object, String parent, String key, int defaultValue, int min, int max) {
    String path = path(parent, key);
    Optional<JsonNode> value = field(object, key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    Optional<BigInteger> number = integer(value.get(), path);
    if (number.isEmpty()) {
      return defaultValue;
    }
    if (number.get().compareTo(BigInteger.valueOf(min)) < 0
        || number.get().compareTo(BigInteger.valueOf(max)) > 0) {
      problem(path, "must be between " + min + " and " + max + ", got " + number.get());
      return defaultValue;
    }
    return number.get().intValue();
  }

  private Optional<BigInteger> integer(JsonNode node, String path) {
    if (node.isIntegralNumber()) {
      return Optional.of(node.bigIntegerValue());
    }
    if (node.isTextual()) {
      Optional<String> text = string(node, path);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      if (INTEGER.matcher(text.get().trim()).matches()) {
        return Optional.of(new BigInteger(text.get().trim()));
      }
      problem(path, "expected an integer, got '" + text.get() + "'");
      return Optional.empty();
    }
    problem(path, "expected an integer, got " + describe(node));
    return Optional.empty();
  }

  /** A positive duration written with its unit: {@code 250ms}, {@code 300s}, {@code 5m}, {@code 1h}, {@code 90d}. */
  Optional<Duration> duration(JsonNode value, String path) {
    return duration(value, path, false);
  }

  /** Like {@link #duration(JsonNode, String)}, but {@code 0ms} is allowed (for "no extra wait"). */
  Optional<Duration> durationOrZero(JsonNode value, String path) {
    return duration(value, path, true);
  }

  private Optional<Duration> duration(JsonNode value, String path, boolean zeroAllowed) {
    Optional<String> text = string(value, path);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher matcher = DURATION.matcher(text.get().trim());
    if (!matcher.matches()) {
      problem(path, "expected a duration such as '300s', '5m' or '250ms', got '" + text.get() + "'");
      return Optional.empty();
    }
    long amount = Long.parseLong(matcher.group(1));
    Duration duration = switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    if (duration.isZero() && !zeroAllowed) {
      problem(path, "must be longer than zero");
      return Optional.empty();
    }
    return Optional.of(duration);
  }

  /** The duration under {@code key}, or {@code defaultValue} when it is absent or invalid. */
  Duration duration(ObjectNode object, String parent, String key, Duration defaultValue) {
    return field(object, key).flatMap(value -> duration(value, path(parent, key))).orElse(defaultValue);
  }

  boolean bool(ObjectNode object, String parent, String key, boolean defaultValue) {
    String path = path(parent, key);
    Optional<JsonNode> value = field(object, key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    JsonNode node = value.get();
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (!node.isTextual()) {
      problem(path, "expected true or false, got " + describe(node));
      return defaultValue;
    }
    Optional<String> text = string(node, path);
    if (text.isEmpty()) {
      return defaultValue;
    }
    String lower = text.get().trim().toLowerCase(Locale.ROOT);
    if (lower.equals("true") || lower.equals("false")) {
      return lower.equals("true");
    }
    problem(path, "expected true or false, got '" + text.get() + "'");
    return defaultValue;
  }

  /** The strings of the list under {@code key}, each with its path; absent is an empty list. */
  List<Entry> stringList(ObjectNode object, String parent, String key) {
    String path = path(parent, key);
    List<Entry> items = new ArrayList<>();
    Optional<JsonNode> value = field(object, key);
    if (value.isEmpty()) {
      return items;
    }
    if (!value.get().isArray()) {
      problem(path, "expected a list, got " + describe(value.get()));
      return items;
    }
    for (int index = 0; index < value.get().size(); index++) {
      String itemPath = path + "[" + index + "]";
      JsonNode item = value.get().get(index);
      string(item, itemPath).ifPresent(text -> items.add(new Entry(text, itemPath, item)));
    }
    return items;
  }

  /** Checks that a name can be used unquoted in SQL, as users, warehouses, tables and columns are. */
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
   * case-insensitive, so both would resolve to the same object.
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
