package dev.sluice.gateway.catalog;

import dev.sluice.dialects.Warehouse;
import dev.sluice.dialects.databricks.DatabricksAuthentication;
import dev.sluice.dialects.databricks.DatabricksConnectionSettings;
import dev.sluice.dialects.duckdb.DuckDbConnectionSettings;
import dev.sluice.dialects.postgresql.PostgresConnectionSettings;
import dev.sluice.dialects.redshift.RedshiftConnectionSettings;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.WarehouseConfig;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/** Opens a configured warehouse with its dialect's connection settings and real driver. */
public final class WarehouseConnector {
  private WarehouseConnector() {}

  public static Warehouse open(WarehouseConfig warehouse) {
    try {
      return switch (warehouse.dialect()) {
        case "duckdb" -> duckDb(warehouse);
        case "postgresql" -> postgres(warehouse);
        case "redshift" -> redshift(warehouse);
        case "databricks" -> databricks(warehouse);
        default -> throw new GatewayException(
            ErrorCode.CONFIGURATION_ERROR,
            "warehouses." + warehouse.name() + ".dialect: " + warehouse.dialect() + " is not supported yet");
      };
    } catch (SQLException | RuntimeException e) {
      if (e instanceof GatewayException gateway) {
        throw gateway;
      }
      throw new GatewayException(
          ErrorCode.WAREHOUSE_UNAVAILABLE,
          "Cannot open warehouse " + warehouse.name() + " (" + warehouse.dialect() + "): " + e.getMessage(),
          e);
    }
  }

  private static Warehouse duckDb(WarehouseConfig warehouse) throws SQLException {
    Path path = Path.of(warehouse.setting("path").orElseThrow());
    boolean readOnly = Boolean.parseBoolean(warehouse.setting("read_only").orElse("true"));
    try {
      return new DuckDbConnectionSettings(path, readOnly, warehouse.poolSize()).open(warehouse.name());
    } catch (IllegalArgumentException e) {
      throw new GatewayException(
          ErrorCode.WAREHOUSE_UNAVAILABLE,
          "Cannot open warehouse " + warehouse.name() + " (" + path + "): " + e.getMessage(),
          e);
    }
  }

  // The binder validated and completed these settings, so every required one is present.
  private static Warehouse postgres(WarehouseConfig warehouse) {
    return new PostgresConnectionSettings(
            required(warehouse, "host"),
            Integer.parseInt(required(warehouse, "port")),
            required(warehouse, "database"),
            required(warehouse, "user"),
            required(warehouse, "password"),
            required(warehouse, "ssl_mode"),
            warehouse.poolSize())
        .open(warehouse.name());
  }

  private static Warehouse redshift(WarehouseConfig warehouse) {
    return new RedshiftConnectionSettings(
            required(warehouse, "host"),
            Integer.parseInt(required(warehouse, "port")),
            required(warehouse, "database"),
            required(warehouse, "user"),
            warehouse.setting("password"),
            warehouse.setting("iam_profile"),
            required(warehouse, "ssl_mode"),
            warehouse.poolSize())
        .open(warehouse.name());
  }

  private static Warehouse databricks(WarehouseConfig warehouse) {
    DatabricksAuthentication authentication = warehouse.setting("token").isPresent()
        ? new DatabricksAuthentication.PersonalAccessToken(required(warehouse, "token"))
        : new DatabricksAuthentication.OAuthMachineToMachine(
            required(warehouse, "client_id"), required(warehouse, "client_secret"));
    return new DatabricksConnectionSettings(
            required(warehouse, "server_hostname"),
            Integer.parseInt(required(warehouse, "port")),
            required(warehouse, "http_path"),
            authentication,
            warehouse.setting("catalog"),
            warehouse.setting("schema"),
            warehouse.poolSize())
        .open(warehouse.name());
  }

  private static String required(WarehouseConfig warehouse, String key) {
    Optional<String> value = warehouse.setting(key);
    return value.orElseThrow(() -> new GatewayException(
        ErrorCode.CONFIGURATION_ERROR,
        "warehouses." + warehouse.name() + "." + warehouse.dialect() + "." + key + " is required"));
  }
}
