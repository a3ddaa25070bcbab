package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Binds {@code schema}: the virtual schema's name and its tables. */
final class VirtualSchemaBinder {
  private static final String PATH = "schema";

  private VirtualSchemaBinder() {}

  static Optional<VirtualSchemaConfig> bind(ObjectNode root, Set<String> warehouses, ConfigReader reader) {
    Optional<ObjectNode> schema = ConfigReader.field(root, PATH)
        .flatMap(node -> reader.mapping(node, PATH, List.of("name", "tables")));
    if (ConfigReader.field(root, PATH).isEmpty()) {
      reader.problem(PATH, "is required (with at least one table)");
    }
    if (schema.isEmpty()) {
      return Optional.empty();
    }
    String name = reader.optionalString(schema.get(), PATH, "name").orElse(VirtualSchemaConfig.DEFAULT_NAME);
    reader.checkName(name, ConfigReader.path(PATH, "name"));
    String tablesPath = ConfigReader.path(PATH, "tables");
    Optional<ObjectNode> tables = reader.nonEmptyMapping(schema.get(), PATH, "tables", "table");
    if (tables.isEmpty()) {
      return Optional.empty();
    }
    List<VirtualTableConfig> bound = new ArrayList<>();
    Map<String, String> names = ConfigReader.newNameIndex();
    for (ConfigReader.Entry entry : reader.entries(tables.get(), tablesPath)) {
      if (reader.checkName(entry.key(), entry.path())) {
        reader.checkUnique(names, entry.key(), entry.path());
      }
      VirtualTableBinder.bind(entry, warehouses, reader).ifPresent(bound::add);
    }
    return Optional.of(new VirtualSchemaConfig(name, bound));
  }
}
