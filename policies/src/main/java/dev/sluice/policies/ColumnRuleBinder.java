package dev.sluice.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.policies.PolicySet.Allow;
import dev.sluice.policies.PolicySet.ColumnRule;
import dev.sluice.policies.PolicySet.Deny;
import dev.sluice.policies.PolicySet.Masked;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Binds one column's rule: {@code allow}, {@code deny}, or {@code { mask: SPEC }} where SPEC is a
 * {@link Mask#parse mask specification} or {@code { expression: SQL }}, and a hash may take
 * {@code salt_env}. Salts are secrets: no message ever quotes one.
 */
final class ColumnRuleBinder {
  private static final List<String> KEYS = List.of("mask", "salt_env");
  private static final List<String> EXPRESSION_KEYS = List.of("expression");
  private static final String FORMS = "allow, deny or { mask: ... }";

  private ColumnRuleBinder() {}

  static Optional<ColumnRule> bind(JsonNode node, String path, PolicyReader reader) {
    if (node instanceof ObjectNode) {
      return masked(node, path, reader);
    }
    if (node == null || !node.isTextual()) {
      reader.problem(path, "expected " + FORMS + ", got " + PolicyReader.describe(node));
      return Optional.empty();
    }
    Optional<ColumnRule> rule = word(node.asText());
    if (rule.isEmpty()) {
      reader.problem(path, "expected " + FORMS + ", got '" + node.asText() + "'" + maskHint(node.asText()));
    }
    return rule;
  }

  /** The rule a plain word stands for: {@code allow} or {@code deny}. */
  static Optional<ColumnRule> word(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "allow" -> Optional.of(new Allow());
      case "deny" -> Optional.of(new Deny());
      default -> Optional.empty();
    };
  }

  // `email: hash` is the likeliest slip, so name the form that works.
  private static String maskHint(String text) {
    try {
      Mask.parse(text);
      return " (a mask is written { mask: " + text.trim() + " })";
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static Optional<ColumnRule> masked(JsonNode node, String path, PolicyReader reader) {
    int before = reader.problemCount();
    ObjectNode object = reader.mapping(node, path, KEYS, "").orElseThrow();
    Optional<Mask> mask = mask(object, path, reader);
    Optional<String> salt = salt(object, path, mask, reader);
    if (reader.problemCount() > before || mask.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Masked(salt.<Mask>map(s -> new Mask.Hash(Optional.of(s))).orElse(mask.get())));
  }

  private static Optional<Mask> mask(ObjectNode object, String parent, PolicyReader reader) {
    String path = PolicyReader.path(parent, "mask");
    Optional<JsonNode> value = PolicyReader.field(object, "mask");
    if (value.isEmpty()) {
      reader.problem(path, "is required (or write allow or deny instead of a mapping)");
      return Optional.empty();
    }
    if (value.get() instanceof ObjectNode) {
      return expression(value.get(), path, reader);
    }
    Optional<String> spec = reader.string(value.get(), path);
    try {
      return spec.map(Mask::parse);
    } catch (IllegalArgumentException e) {
      reader.problem(path, e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Mask> expression(JsonNode node, String path, PolicyReader reader) {
    ObjectNode object = reader.mapping(node, path, EXPRESSION_KEYS, "").orElseThrow();
    Optional<String> sql = reader.requiredText(object, path, "expression");
    if (sql.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> problem = PolicySql.maskExpressionProblem(sql.get());
    problem.ifPresent(message -> reader.problem(PolicyReader.path(path, "expression"), message));
    return problem.isPresent() ? Optional.empty() : Optional.of(new Mask.Expression(sql.get()));
  }

  /** The salt named by {@code salt_env}, read from the variables now so a missing one fails at load. */
  private static Optional<String> salt(
      ObjectNode object, String parent, Optional<Mask> mask, PolicyReader reader) {
    String path = PolicyReader.path(parent, "salt_env");
    Optional<String> name = PolicyReader.field(object, "salt_env").flatMap(value -> reader.string(value, path));
    if (name.isEmpty()) {
      return Optional.empty();
    }
    if (mask.isPresent() && !(mask.get() instanceof Mask.Hash)) {
      reader.problem(path, "only a hash mask takes a salt, not " + mask.get());
      return Optional.empty();
    }
    if (!PolicyReader.NAME.matcher(name.get()).matches()) {
      reader.problem(path, "invalid environment variable name '" + name.get() + "'");
      return Optional.empty();
    }
    Optional<String> salt = reader.variable(name.get());
    if (salt.isEmpty()) {
      reader.problem(path, "environment variable " + name.get() + " is not set");
    } else if (salt.get().isEmpty()) {
      reader.problem(path, "environment variable " + name.get() + " is empty");
      return Optional.empty();
    }
    return salt;
  }
}
