package dev.sluice.gateway.tooling;

import static java.util.Objects.requireNonNull;

import dev.sluice.dialects.Warehouse;
import dev.sluice.gateway.catalog.WarehouseConnector;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VirtualTableConfig;
import dev.sluice.gateway.config.WarehouseConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.calcite.sql.SqlDialect;

/**
 * Tests one configured warehouse the way the gateway will use it: open it with its real driver,
 * run {@code SELECT 1}, then read zero rows from every table the virtual schema maps onto it.
 */
public final class ConnectionCheck {
  private final GatewayConfig config;
  private final Duration timeout;

  public ConnectionCheck(GatewayConfig config, Duration timeout) {
    this.config = requireNonNull(config, "config is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
  }

  public CheckReport check(String warehouseName) {
    requireNonNull(warehouseName, "warehouseName is null");
    WarehouseConfig warehouseConfig = config.warehouse(warehouseName).orElse(null);
    if (warehouseConfig == null) {
      return new CheckReport(warehouseName, false, List.of("FAILED " + warehouseName
          + ": no such warehouse in the configuration (configured: "
          + String.join(", ", config.warehouses().stream().map(WarehouseConfig::name).toList()) + ")"));
    }
    // Drivers have their own, often long, connect and login timeouts (or none); running the
    // whole check on a daemon thread bounds it for every dialect alike.
    ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "sluice-check-" + warehouseName);
      thread.setDaemon(true);
      return thread;
    });
    try {
      Future<CheckReport> report = executor.submit(() -> run(warehouseConfig));
      return report.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return failed(warehouseConfig, "connecting", new TimeoutException("no answer within " + timeout.toSeconds() + " s"));
    } catch (ExecutionException e) {
      return failed(warehouseConfig, "connecting", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(warehouseConfig, "connecting", e);
    } finally {
      executor.shutdownNow();
    }
  }

  private CheckReport run(WarehouseConfig warehouseConfig) {
    long started = System.nanoTime();
    Warehouse warehouse;
    try {
      warehouse = WarehouseConnector.open(warehouseConfig);
    } catch (RuntimeException e) {
      return failed(warehouseConfig, "opening the warehouse", e);
    }
    try (warehouse; Connection connection = warehouse.dataSource().getConnection()) {
      try (Statement statement = connection.createStatement();
          ResultSet resultSet = statement.executeQuery("SELECT 1")) {
        resultSet.next();
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      List<String> lines = new ArrayList<>();
      lines.add("OK " + warehouseConfig.name() + " (" + warehouseConfig.dialect() + "): connected and ran SELECT 1 in "
          + millis + " ms");
      boolean ok = probeTables(warehouseConfig.name(), warehouse.dialect(), connection, lines);
      return new CheckReport(warehouseConfig.name(), ok, lines);
    } catch (SQLException | java.io.IOException | RuntimeException e) {
      return failed(warehouseConfig, "connecting", e);
    }
  }

  /** Reads zero rows of each mapped table, so a missing table or grant shows up before a query does. */
  private boolean probeTables(String warehouse, SqlDialect dialect, Connection connection, List<String> lines) {
    boolean ok = true;
    for (VirtualTableConfig table : config.schema().tables()) {
      if (!table.source().warehouse().equals(warehouse)) {
        continue;
      }
      String source = table.source().schema() + "." + table.source().table();
      long started = System.nanoTime();
      try (Statement statement = connection.createStatement();
          ResultSet ignored = statement.executeQuery(probeSql(dialect, table))) {
        lines.add("  OK   " + source + " (for " + config.schema().name() + "." + table.name() + ") readable, "
            + (System.nanoTime() - started) / 1_000_000 + " ms");
      } catch (SQLException | RuntimeException e) {
        ok = false;
        lines.add("  FAIL " + source + " (for " + config.schema().name() + "." + table.name() + "): "
            + ConnectionFailures.explain(e));
      }
    }
    return ok;
  }

  /** {@code SELECT * FROM "schema"."table" WHERE 1 = 0}, identifiers quoted by the warehouse's dialect. */
  static String probeSql(SqlDialect dialect, VirtualTableConfig table) {
    StringBuilder sql = new StringBuilder("SELECT * FROM ");
    dialect.quoteIdentifier(sql, List.of(table.source().schema(), table.source().table()));
    return sql.append(" WHERE 1 = 0").toString();
  }

  private static CheckReport failed(WarehouseConfig warehouse, String step, Throwable failure) {
    return new CheckReport(warehouse.name(), false, List.of(
        "FAILED " + warehouse.name() + " (" + warehouse.dialect() + ") while " + step + ": "
            + ConnectionFailures.explain(failure)));
  }
}
