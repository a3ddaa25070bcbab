package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.dialects.postgresql.PostgresConnectionSettings;
import dev.sluice.dialects.redshift.RedshiftConnectionSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Binds {@code warehouses}: each warehouse's dialect, pool size and dialect-specific settings. */
final class WarehousesBinder {
  private static final String PATH = "warehouses";
  static final List<String> DIALECTS = List.of("duckdb", "postgresql", "redshift", "databricks");
  private static final int DEFAULT_POOL_SIZE = 8;

  private WarehousesBinder() {}

  static List<WarehouseConfig> bind(ObjectNode root, ConfigReader reader) {
    Optional<ObjectNode> warehouses = reader.nonEmptyMapping(root, "", PATH, "warehouse");
    if (warehouses.isEmpty()) {
      return List.of();
    }
    List<WarehouseConfig> bound = new ArrayList<>();
    Map<String, String> names = ConfigReader.newNameIndex();
    for (ConfigReader.Entry entry : reader.entries(warehouses.get(), PATH)) {
      int before = reader.problemCount();
      if (reader.checkName(entry.key(), entry.path())) {
        reader.checkUnique(names, entry.key(), entry.path());
      }
      Optional<WarehouseConfig> warehouse = warehouse(entry, reader);
      if (reader.problemCount() == before) {
        warehouse.ifPresent(bound::add);
      }
    }
    return bound;
  }

  /**
   * The names declared under {@code warehouses}, valid or not: tables are checked against these so
   * that one broken warehouse is reported once, not again by every table that reads from it.
   */
  static Set<String> declaredNames(ObjectNode root) {
    Set<String> names = new LinkedHashSet<>();
    ConfigReader.field(root, PATH)
        .filter(JsonNode::isObject)
        .ifPresent(node -> node.fieldNames().forEachRemaining(names::add));
    return names;
  }

  private static Optional<WarehouseConfig> warehouse(ConfigReader.Entry entry, ConfigReader reader) {
    Optional<ObjectNode> node = reader.mapping(entry.value(), entry.path());
    if (node.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> dialect = dialect(node.get(), entry.path(), reader);
    List<String> keys = new ArrayList<>(List.of("dialect", "pool_size", PushdownBinder.KEY));
    keys.addAll(WarehouseAdmissionBinder.KEYS);
    // With the dialect unknown, any dialect's block is plausible; the dialect itself is the error.
    keys.addAll(dialect.map(List::of).orElse(DIALECTS));
    reader.checkKeys(node.get(), entry.path(), keys);
    int poolSize = reader.integer(node.get(), entry.path(), "pool_size", DEFAULT_POOL_SIZE, 1, 1000);
    if (dialect.isEmpty()) {
      return Optional.empty();
    }
    String settingsPath = ConfigReader.path(entry.path(), dialect.get());
    Map<String, String> settings = switch (dialect.get()) {
      case "duckdb" -> duckDbSettings(node.get(), settingsPath, reader);
      case "postgresql" -> ServerSettingsBinder.postgres(node.get(), settingsPath, reader);
      case "redshift" -> ServerSettingsBinder.redshift(node.get(), settingsPath, reader);
      case "databricks" -> ServerSettingsBinder.databricks(node.get(), settingsPath, reader);
      default -> throw new IllegalStateException("unchecked dialect " + dialect.get());
    };
    WarehouseConfig warehouse = PushdownBinder.bind(
        new WarehouseConfig(entry.key(), dialect.get(), poolSize, settings), node.get(), entry.path(), reader);
    return Optional.of(WarehouseAdmissionBinder.bind(warehouse, node.get(), entry.path(), reader));
  }

  private static Optional<String> dialect(ObjectNode node, String path, ConfigReader reader) {
    String dialectPath = ConfigReader.path(path, "dialect");
    Optional<String> dialect = reader.requiredString(node, path, "dialect");
    if (dialect.isEmpty()) {
      return Optional.empty();
    }
    if (!DIALECTS.contains(dialect.get())) {
      reader.problem(dialectPath, "unknown dialect '" + dialect.get()
          + "' (expected one of " + String.join(", ", DIALECTS) + ")");
      return Optional.empty();
    }
    return dialect;
  }

  private static Map<String, String> duckDbSettings(ObjectNode warehouse, String path, ConfigReader reader) {
    Map<String, String> settings = new LinkedHashMap<>();
    Optional<JsonNode> block = ConfigReader.field(warehouse, "duckdb");
    if (block.isEmpty()) {
      reader.problem(path, "is required (with at least path)");
      return settings;
    }
    reader.mapping(block.get(), path, List.of("path", "read_only")).ifPresent(duckdb -> {
      reader.requiredNonBlankString(duckdb, path, "path").ifPresent(file -> settings.put("path", file));
      settings.put("read_only", Boolean.toString(reader.bool(duckdb, path, "read_only", true)));
    });
    return settings;
  }

}
