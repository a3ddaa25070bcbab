package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Binds one table of the virtual schema: kind, source, keys and columns. */
final class VirtualTableBinder {
  private static final List<String> KEYS =
      List.of("kind", "source", "primary_key", "customer_key", "time_column", "columns");
  private static final String KINDS =
      Arrays.stream(TableKind.values()).map(TableKind::configName).collect(Collectors.joining(", "));

  private VirtualTableBinder() {}

  static Optional<VirtualTableConfig> bind(
      ConfigReader.Entry entry, Set<String> warehouses, ConfigReader reader) {
    int before = reader.problemCount();
    Optional<ObjectNode> node = reader.mapping(entry.value(), entry.path(), KEYS);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    String path = entry.path();
    Optional<TableKind> kind = kind(node.get(), path, reader);
    Optional<SourceTable> source = source(node.get(), path, warehouses, reader);
    Set<String> columnNames = declaredColumns(node.get());
    List<ColumnConfig> columns = ColumnBinder.bind(node.get(), path, reader);
    List<String> primaryKey = primaryKey(node.get(), path, kind, columnNames, reader);
    Optional<String> customerKey = keyColumn(node.get(), path, "customer_key",
        kind.filter(TableKind::requiresCustomerKey), columnNames, reader);
    Optional<String> timeColumn = keyColumn(node.get(), path, "time_column",
        kind.filter(TableKind::requiresTimeColumn), columnNames, reader);
    if (kind.filter(k -> k == TableKind.CUSTOMER_BASE).isPresent()) {
      checkOneRowPerCustomer(primaryKey, customerKey, path, reader);
    }
    if (reader.problemCount() > before || kind.isEmpty() || source.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new VirtualTableConfig(
        entry.key(), kind.get(), source.get(), primaryKey, customerKey, timeColumn, columns));
  }

  private static void checkOneRowPerCustomer(
      List<String> primaryKey, Optional<String> customerKey, String path, ConfigReader reader) {
    if (customerKey.isPresent() && !primaryKey.isEmpty() && !primaryKey.equals(List.of(customerKey.get()))) {
      reader.problem(ConfigReader.path(path, "primary_key"), "a customer_base table has one row per customer,"
          + " so its primary_key must be [" + customerKey.get() + "]");
    }
  }

  private static Optional<TableKind> kind(ObjectNode node, String path, ConfigReader reader) {
    Optional<String> text = reader.requiredString(node, path, "kind");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<TableKind> kind = Arrays.stream(TableKind.values())
        .filter(k -> k.configName().equals(text.get().trim().toLowerCase(Locale.ROOT)))
        .findFirst();
    if (kind.isEmpty()) {
      reader.problem(ConfigReader.path(path, "kind"), "unknown kind '" + text.get() + "' (expected one of " + KINDS + ")");
    }
    return kind;
  }

  private static Optional<SourceTable> source(
      ObjectNode node, String path, Set<String> warehouses, ConfigReader reader) {
    String sourcePath = ConfigReader.path(path, "source");
    Optional<String> text = reader.requiredString(node, path, "source");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String[] parts = text.get().split("\\.", -1);
    if (parts.length != 3 || Arrays.stream(parts).anyMatch(String::isBlank)) {
      reader.problem(sourcePath, "expected warehouse.schema.table, got '" + text.get() + "'");
      return Optional.empty();
    }
    if (!warehouses.contains(parts[0])) {
      reader.problem(sourcePath, "unknown warehouse '" + parts[0] + "'");
      return Optional.empty();
    }
    return Optional.of(new SourceTable(parts[0], parts[1], parts[2]));
  }

  /** The column names as written, valid or not, so a broken column is not reported again as a missing key. */
  private static Set<String> declaredColumns(ObjectNode node) {
    Set<String> names = new LinkedHashSet<>();
    ConfigReader.field(node, "columns")
        .filter(columns -> columns.isObject())
        .ifPresent(columns -> columns.fieldNames().forEachRemaining(names::add));
    return names;
  }

  private static List<String> primaryKey(ObjectNode node, String path, Optional<TableKind> kind,
      Set<String> columns, ConfigReader reader) {
    String keyPath = ConfigReader.path(path, "primary_key");
    boolean required = kind.filter(k -> k == TableKind.CUSTOMER_BASE || k == TableKind.ENTITY).isPresent();
    if (ConfigReader.field(node, "primary_key").isEmpty()) {
      if (required) {
        reader.problem(keyPath, "is required for " + kind.get().configName() + " tables");
      }
      return List.of();
    }
    if (node.get("primary_key").isArray() && node.get("primary_key").isEmpty()) {
      reader.problem(keyPath, "must name at least one column");
      return List.of();
    }
    List<String> key = new ArrayList<>();
    for (ConfigReader.Entry item : reader.stringList(node, path, "primary_key")) {
      if (checkColumn(item.key(), item.path(), columns, reader)) {
        key.add(item.key());
      }
    }
    return key;
  }

  private static Optional<String> keyColumn(ObjectNode node, String path, String key,
      Optional<TableKind> requiredFor, Set<String> columns, ConfigReader reader) {
    String keyPath = ConfigReader.path(path, key);
    if (ConfigReader.field(node, key).isEmpty()) {
      requiredFor.ifPresent(kind -> reader.problem(keyPath, "is required for " + kind.configName() + " tables"));
      return Optional.empty();
    }
    return reader.requiredString(node, path, key).filter(column -> checkColumn(column, keyPath, columns, reader));
  }

  private static boolean checkColumn(String column, String path, Set<String> columns, ConfigReader reader) {
    if (columns.contains(column)) {
      return true;
    }
    reader.problem(path, "unknown column '" + column + "' (not among this table's columns)");
    return false;
  }
}
