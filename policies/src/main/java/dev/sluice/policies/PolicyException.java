package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy file that cannot be used, with every problem found in it; each problem starts with the
 * key path where it occurs. The gateway maps it to its configuration error at start-up.
 */
public final class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public PolicyException(String sourceName, List<String> problems) {
    super(message(requireNonNull(sourceName, "sourceName is null"), requireNonNull(problems, "problems is null")));
    this.problems = List.copyOf(problems);
  }

  /** The problems, one per line of the message, in the order they were found. */
  public List<String> problems() {
    return problems;
  }

  private static String message(String sourceName, List<String> problems) {
    return "Invalid policies " + sourceName + ":\n"
        + problems.stream().map(problem -> "  - " + problem).collect(Collectors.joining("\n"));
  }
}
