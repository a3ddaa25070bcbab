package dev.sluice.gateway.catalog;

import dev.sluice.dialects.PoolTuning;
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
    return open(warehouse, PoolTuning.defaults());
  }

  /** Opens {@code warehouse} with its pool's waits, validation and metrics set by {@code tuning}. */
  public static Warehouse open(WarehouseConfig warehouse, PoolTuning tuning) {
    try {
      return switch (warehouse.dialect()) {
        case "duckdb" -> duckDb(warehouse, tuning);
        case "postgresql" -> postgres(warehouse, tuning);
        case "redshift" -> redshift(warehouse, tuning);
        case "databricks" -> databricks(warehouse, tuning);
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

  private static Warehouse duckDb(WarehouseConfig warehouse, PoolTuning tuning) throws SQLException {
    Path path = Path.of(warehouse.setting("path").orElseThrow());
    boolean readOnly = Boolean.parseBoolean(warehouse.setting("read_only").orElse("true"));
    try {
      return new DuckDbConnectionSettings(path, readOnly, warehouse.poolSize()).open(warehouse.name(), tuning);
    } catch (IllegalArgumentException e) {
      throw new GatewayException(
          ErrorCode.WAREHOUSE_UNAVAILABLE,
          "Cannot open warehouse " + warehouse.name() + " (" + path + "): " + e.getMessage(),
          e);
    }
  }

  // The binder validated and completed these settings, so every required one is present.
  private static Warehouse postgres(WarehouseConfig warehouse, PoolTuning tuning) {
    return new PostgresConnectionSettings(
            required(warehouse, "host"),
            Integer.parseInt(required(warehouse, "port")),
            required(warehouse, "database"),
            required(warehouse, "user"),
            required(warehouse, "password"),
            required(warehouse, "ssl_mode"),
            warehouse.poolSize())
        .open(warehouse.name(), tuning);
  }

  private static Warehouse redshift(WarehouseConfig warehouse, PoolTuning tuning) {
    return new RedshiftConnectionSettings(
            required(warehouse, "host"),
            Integer.parseInt(required(warehouse, "port")),
            required(warehouse, "database"),
            required(warehouse, "user"),
            warehouse.setting("password"),
            warehouse.setting("iam_profile"),
            required(warehouse, "ssl_mode"),
            warehouse.poolSize())
        .open(warehouse.name(), tuning);
  }

  private static Warehouse databricks(WarehouseConfig warehouse, PoolTuning tuning) {
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
        .open(warehouse.name(), tuning);
  }

  private static String required(WarehouseConfig warehouse, String key) {
    Optional<String> value = warehouse.setting(key);
    return value.orElseThrow(() -> new GatewayException(
        ErrorCode.CONFIGURATION_ERROR,
        "warehouses." + warehouse.name() + "." + warehouse.dialect() + "." + key + " is required"));
  }
}
