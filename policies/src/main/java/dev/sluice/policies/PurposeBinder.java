package dev.sluice.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.policies.PolicySet.Purpose;
import dev.sluice.policies.PolicySet.TableOverlay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds one purpose: an optional {@code description}, the {@code roles} that may declare it, and
 * optional per-table overlays ({@code columns}, {@code row_filters}) on those roles' grants.
 * Whether the roles exist and grant the tables is checked once every role is bound.
 */
final class PurposeBinder {
  private static final List<String> KEYS = List.of("description", "roles", "tables");

  private PurposeBinder() {}

  static Optional<Purpose> bind(PolicyReader.Entry purpose, PolicyReader reader) {
    int before = reader.problemCount();
    Optional<ObjectNode> node = reader.mapping(purpose.value(), purpose.path(), KEYS, " (write roles: [...])");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    String descriptionPath = PolicyReader.path(purpose.path(), "description");
    Optional<String> description = PolicyReader.field(node.get(), "description")
        .flatMap(value -> reader.string(value, descriptionPath));
    List<String> roles = roles(node.get(), purpose.path(), reader);
    Map<String, TableOverlay> tables = tables(node.get(), purpose.path(), reader);
    if (reader.problemCount() > before) {
      return Optional.empty();
    }
    return Optional.of(new Purpose(purpose.key(), description, roles, tables));
  }

  // Required and not empty: a purpose no role may declare is a mistake, not a way to disable it.
  private static List<String> roles(ObjectNode purpose, String parent, PolicyReader reader) {
    String path = PolicyReader.path(parent, "roles");
    Optional<JsonNode> value = PolicyReader.field(purpose, "roles");
    List<String> roles = new ArrayList<>();
    if (value.isEmpty() || !value.get().isArray() || value.get().isEmpty()) {
      reader.problem(path, value.isEmpty()
          ? "is required (the roles that may declare this purpose)"
          : "expected a list of at least one role, got " + PolicyReader.describe(value.get()));
      return roles;
    }
    Map<String, String> seen = PolicyReader.newNameIndex();
    for (int index = 0; index < value.get().size(); index++) {
      String itemPath = path + "[" + index + "]";
      Optional<String> role = reader.string(value.get().get(index), itemPath);
      if (role.isPresent() && reader.checkName(role.get(), itemPath)) {
        reader.checkUnique(seen, role.get(), itemPath);
        roles.add(role.get());
      }
    }
    return roles;
  }

  private static Map<String, TableOverlay> tables(ObjectNode purpose, String parent, PolicyReader reader) {
    String path = PolicyReader.path(parent, "tables");
    Map<String, TableOverlay> overlays = new LinkedHashMap<>();
    Optional<ObjectNode> tables = PolicyReader.field(purpose, "tables")
        .flatMap(value -> reader.namedMapping(value, path, ""));
    if (tables.isEmpty()) {
      return overlays;
    }
    List<String> seen = new ArrayList<>();
    for (PolicyReader.Entry table : reader.entries(tables.get(), path)) {
      if (RoleBinder.checkTableName(table, reader)) {
        RoleBinder.checkUnique(seen, table, reader);
      }
      TableGrantBinder.overlay(table, reader).ifPresent(overlay -> overlays.put(table.key(), overlay));
    }
    return overlays;
  }
}
