package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Binds {@code warehouses.<name>.pushdown: strict | federated}. Kept apart from {@link
 * WarehousesBinder} so the per-dialect settings and this option evolve independently.
 */
final class PushdownBinder {
  static final String KEY = "pushdown";

  private PushdownBinder() {}

  /** {@code warehouse} with the mode its node {@code warehouseNode} at {@code path} asks for. */
  static WarehouseConfig bind(WarehouseConfig warehouse, ObjectNode warehouseNode, String path, ConfigReader reader) {
    Optional<String> value = reader.optionalString(warehouseNode, path, KEY);
    if (value.isEmpty()) {
      return warehouse;
    }
    String text = value.get().trim().toLowerCase(Locale.ROOT);
    for (PushdownMode mode : PushdownMode.values()) {
      if (mode.configName().equals(text)) {
        return warehouse.withPushdown(mode);
      }
    }
    reader.problem(ConfigReader.path(path, KEY), "must be one of "
        + Arrays.stream(PushdownMode.values()).map(PushdownMode::configName).collect(Collectors.joining(", "))
        + ", not '" + value.get() + "'");
    return warehouse;
  }
}
