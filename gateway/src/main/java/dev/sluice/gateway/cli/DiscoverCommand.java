package dev.sluice.gateway.cli;

import dev.sluice.dialects.Warehouse;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.catalog.WarehouseConnector;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.config.WarehouseConfig;
import dev.sluice.gateway.tooling.ConnectionFailures;
import dev.sluice.gateway.tooling.DiscoveredTable;
import dev.sluice.gateway.tooling.DraftSchemaYaml;
import dev.sluice.gateway.tooling.SchemaDiscovery;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a draft virtual schema for the tables of one warehouse schema, for a person to review. */
@Command(
    name = "discover",
    mixinStandardHelpOptions = true,
    description = "Read a warehouse schema's tables and print a draft `schema:` block for the configuration.")
public final class DiscoverCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Gateway configuration (YAML).")
  Path config;

  @Option(names = "--warehouse", required = true, paramLabel = "NAME", description = "The warehouse to read.")
  String warehouse;

  @Option(names = "--schema", required = true, paramLabel = "SCHEMA", description = "The warehouse schema to read.")
  String schema;

  @Override
  public Integer call() {
    try {
      GatewayConfig gatewayConfig = ConfigLoader.load(config, VariableResolver.environment());
      System.out.print(discover(gatewayConfig, warehouse, schema));
      return 0;
    } catch (GatewayException e) {
      System.err.println(e.getMessage());
      return 1;
    }
  }

  /** The draft YAML; a {@link GatewayException} says why there is none. */
  static String discover(GatewayConfig config, String warehouseName, String schema) {
    WarehouseConfig warehouseConfig = config.warehouse(warehouseName).orElseThrow(() -> new GatewayException(
        ErrorCode.CONFIGURATION_ERROR, "No warehouse named " + warehouseName + " in the configuration"));
    List<DiscoveredTable> tables;
    try (Warehouse opened = WarehouseConnector.open(warehouseConfig);
        Connection connection = opened.dataSource().getConnection()) {
      tables = new SchemaDiscovery(connection, warehouseConfig.dialect()).tables(schema);
    } catch (Exception e) {
      throw new GatewayException(
          ErrorCode.WAREHOUSE_UNAVAILABLE,
          "Cannot read " + warehouseName + "." + schema + ": " + ConnectionFailures.explain(e),
          e);
    }
    if (tables.isEmpty()) {
      throw new GatewayException(
          ErrorCode.UNKNOWN_OBJECT,
          "No tables in " + warehouseName + "." + schema
              + " visible to this user: check the schema name (it is case-sensitive) and its grants.");
    }
    return DraftSchemaYaml.render(warehouseName, schema, tables);
  }
}
