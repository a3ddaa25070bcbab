package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * Looks up the variables a configuration refers to as {@code ${NAME}} or {@code password_env}:
 * the process environment, values the command line provides, or both.
 */
@FunctionalInterface
public interface VariableResolver {

  Optional<String> resolve(String name);

  /** The process environment. */
  static VariableResolver environment() {
    return name -> Optional.ofNullable(System.getenv(name));
  }

  /** Exactly the given values; handy for tests and for values the command line computes. */
  static VariableResolver of(Map<String, String> values) {
    Map<String, String> copy = Map.copyOf(requireNonNull(values, "values is null"));
    return name -> Optional.ofNullable(copy.get(name));
  }

  /** No variables at all. */
  static VariableResolver none() {
    return name -> Optional.empty();
  }

  /** This resolver, falling back to {@code fallback} for names it does not know. */
  default VariableResolver orElse(VariableResolver fallback) {
    requireNonNull(fallback, "fallback is null");
    return name -> resolve(name).or(() -> fallback.resolve(name));
  }

  /** This resolver, falling back to {@code defaults} (such as the CLI's {@code SLUICE_DATA_DIR}). */
  default VariableResolver withDefaults(Map<String, String> defaults) {
    return orElse(of(defaults));
  }
}
