package dev.sluice.gateway.config;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in a configuration string with the variable's value; {@code $${} is a
 * literal {@code ${}. Values are inserted as they are, never scanned again, so a secret containing
 * {@code ${} cannot pull in another variable.
 */
final class VariableSubstitution {
  static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private VariableSubstitution() {}

  /** The substituted text, or empty after reporting every problem of {@code raw} to {@code problems}. */
  static Optional<String> substitute(
      String raw, VariableResolver variables, Consumer<String> problems) {
    StringBuilder result = new StringBuilder(raw.length());
    boolean valid = true;
    int index = 0;
    while (index < raw.length()) {
      if (raw.startsWith("$${", index)) {
        result.append("${");
        index += 3;
      } else if (raw.startsWith("${", index)) {
        int end = raw.indexOf('}', index + 2);
        if (end < 0) {
          problems.accept("unterminated ${ (write $${ for a literal ${)");
          return Optional.empty();
        }
        String name = raw.substring(index + 2, end);
        Optional<String> value = resolve(name, variables, problems);
        value.ifPresent(result::append);
        valid &= value.isPresent();
        index = end + 1;
      } else {
        result.append(raw.charAt(index));
        index++;
      }
    }
    return valid ? Optional.of(result.toString()) : Optional.empty();
  }

  private static Optional<String> resolve(
      String name, VariableResolver variables, Consumer<String> problems) {
    if (!VARIABLE_NAME.matcher(name).matches()) {
      problems.accept("invalid variable name '" + name + "' in ${...}");
      return Optional.empty();
    }
    Optional<String> value = variables.resolve(name);
    if (value.isEmpty()) {
      problems.accept("environment variable " + name + " is not set");
    }
    return value;
  }
}
