package dev.sluice.gateway.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.apache.calcite.schema.SchemaPlus;

/**
 * The virtual schema as one principal sees it: a Calcite root holding only the tables it may read,
 * each a view that applies its masks and row filters at the scan. The fingerprint identifies the
 * view's content, so principals who see the same share plans.
 */
public record GovernedView(String fingerprint, SchemaPlus root, List<GovernedTable> tables) {
  public GovernedView {
    requireNonNull(fingerprint, "fingerprint is null");
    requireNonNull(root, "root is null");
    tables = List.copyOf(requireNonNull(tables, "tables is null"));
  }

  public Optional<GovernedTable> table(String name) {
    return tables.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
  }
}
