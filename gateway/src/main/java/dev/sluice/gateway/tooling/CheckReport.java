package dev.sluice.gateway.tooling;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What {@code sluice check} found: whether the warehouse is usable, and one line per step. */
public record CheckReport(String warehouse, boolean ok, List<String> lines) {
  public CheckReport {
    requireNonNull(warehouse, "warehouse is null");
    lines = List.copyOf(requireNonNull(lines, "lines is null"));
  }

  public String text() {
    return String.join("\n", lines);
  }
}
