package dev.sluice.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.policies.PolicySet.Role;
import dev.sluice.policies.PolicySet.TableGrant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Binds one role: the tables it may read, each named {@code table} or {@code schema.table}, an
 * optional {@code min_group_size} that makes the role aggregation-only, and an optional {@code
 * requires_purpose} that makes its users declare a purpose.
 */
final class RoleBinder {
  private static final List<String> KEYS = List.of("tables", "min_group_size", "requires_purpose");
  /** Below 2 a "group" may be one customer, which is what the floor exists to prevent. */
  static final int SMALLEST_GROUP_SIZE = 2;

  private RoleBinder() {}

  static Optional<Role> bind(PolicyReader.Entry role, PolicyReader reader) {
    int before = reader.problemCount();
    Optional<ObjectNode> node = reader.mapping(role.value(), role.path(), KEYS, " (write tables: {} for a role that reads no tables)");
    Optional<ObjectNode> tables = node.flatMap(object -> tables(object, role.path(), reader));
    Map<String, TableGrant> grants = new LinkedHashMap<>();
    if (tables.isPresent()) {
      String tablesPath = PolicyReader.path(role.path(), "tables");
      List<String> seen = new ArrayList<>();
      for (PolicyReader.Entry table : reader.entries(tables.get(), tablesPath)) {
        if (checkTableName(table, reader)) {
          checkUnique(seen, table, reader);
        }
        TableGrantBinder.bind(table, reader).ifPresent(grant -> grants.put(table.key(), grant));
      }
    }
    OptionalInt minGroupSize = node.map(object -> minGroupSize(object, role.path(), reader)).orElse(OptionalInt.empty());
    boolean requiresPurpose = node.map(object -> requiresPurpose(object, role.path(), reader)).orElse(false);
    if (reader.problemCount() > before || tables.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Role(role.key(), grants, minGroupSize, requiresPurpose));
  }

  private static boolean requiresPurpose(ObjectNode role, String parent, PolicyReader reader) {
    Optional<JsonNode> value = PolicyReader.field(role, "requires_purpose");
    if (value.isPresent() && !value.get().isBoolean()) {
      reader.problem(PolicyReader.path(parent, "requires_purpose"),
          "expected true or false, got " + PolicyReader.describe(value.get()));
      return false;
    }
    return value.map(JsonNode::booleanValue).orElse(false);
  }

  private static OptionalInt minGroupSize(ObjectNode role, String parent, PolicyReader reader) {
    String path = PolicyReader.path(parent, "min_group_size");
    Optional<JsonNode> value = PolicyReader.field(role, "min_group_size");
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    JsonNode node = value.get();
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < SMALLEST_GROUP_SIZE) {
      reader.problem(path, "expected a whole number of customers, at least " + SMALLEST_GROUP_SIZE + ", got '"
          + node.asText() + "'");
      return OptionalInt.empty();
    }
    return OptionalInt.of(node.intValue());
  }

  // Required, even when empty, so that a role reading nothing says so rather than forgets to.
  private static Optional<ObjectNode> tables(ObjectNode role, String parent, PolicyReader reader) {
    String path = PolicyReader.path(parent, "tables");
    Optional<JsonNode> value = PolicyReader.field(role, "tables");
    if (value.isEmpty()) {
      reader.problem(path, "is required (write {} for a role that reads no tables)");
      return Optional.empty();
    }
    return reader.namedMapping(value.get(), path, " (write {} for a role that reads no tables)");
  }

  static boolean checkTableName(PolicyReader.Entry table, PolicyReader reader) {
    String[] parts = table.key().split("\\.", -1);
    if (parts.length <= 2 && Arrays.stream(parts).allMatch(p -> PolicyReader.NAME.matcher(p).matches())) {
      return true;
    }
    reader.problem(table.path(), "invalid table name '" + table.key()
        + "': write table or schema.table, each a name of letters, digits and underscores");
    return false;
  }

  /**
   * Reports a table granted twice: the same name in another case, or once as {@code customers}
   * and once as {@code cdp.customers}, which name the same table when cdp is the virtual schema.
   * Two grants of one table in one role would leave the gateway to guess which one applies.
   */
  static void checkUnique(List<String> seen, PolicyReader.Entry table, PolicyReader reader) {
    seen.stream().filter(previous -> sameTable(previous, table.key())).findFirst().ifPresent(previous ->
        reader.problem(table.path(), "duplicate table (same as '" + previous
            + "'; names are case-insensitive, and a table is named either with or without its schema)"));
    seen.add(table.key());
  }

  static boolean sameTable(String a, String b) {
    boolean aQualified = a.contains(".");
    boolean bQualified = b.contains(".");
    return a.equalsIgnoreCase(b) || aQualified != bQualified && unqualified(a).equalsIgnoreCase(unqualified(b));
  }

  private static String unqualified(String table) {
    return table.substring(table.indexOf('.') + 1);
  }
}
