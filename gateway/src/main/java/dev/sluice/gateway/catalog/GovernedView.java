package dev.sluice.gateway.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.calcite.schema.SchemaPlus;

/**
 * The virtual schema as one principal sees it: a Calcite root holding only the tables it may read,
 * each a view that applies its masks and row filters at the scan, and the minimum number of
 * distinct customers each result group must aggregate when the principal is aggregation-only. The
 * fingerprint identifies the view's content, so principals who see the same share plans.
 */
public record GovernedView(
    String fingerprint, SchemaPlus root, List<GovernedTable> tables, OptionalInt minGroupSize) {
  public GovernedView {
    requireNonNull(fingerprint, "fingerprint is null");
    requireNonNull(root, "root is null");
    tables = List.copyOf(requireNonNull(tables, "tables is null"));
    requireNonNull(minGroupSize, "minGroupSize is null");
  }

  /** A view without a minimum group size. */
  public GovernedView(String fingerprint, SchemaPlus root, List<GovernedTable> tables) {
    this(fingerprint, root, tables, OptionalInt.empty());
  }

  public Optional<GovernedTable> table(String name) {
    return tables.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
  }
}
