package dev.sluice.gateway.audit;

import dev.sluice.dialects.Warehouse;
import dev.sluice.gateway.catalog.Governance;
import dev.sluice.gateway.catalog.PolicySource;
import dev.sluice.gateway.catalog.VirtualCatalog;
import dev.sluice.gateway.catalog.WarehouseConnector;
import dev.sluice.gateway.config.AuditConfig;
import dev.sluice.gateway.config.EngineConfig;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.config.WarehouseConfig;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.engine.StrictPushdown;
import dev.sluice.gateway.testing.TestingGateway;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's query engine with an audit log in {@code directory}, built by hand (as the gateway
 * server builds it) so that tests can watch both warehouses through {@link WarehouseSpy}.
 */
final class AuditedEngine implements AutoCloseable {
  final QueryEngine engine;
  final AuditLog log;
  final WarehouseSpy dw;
  final WarehouseSpy lake;
  private final List<Warehouse> opened = new ArrayList<>();

  AuditedEngine(AuditConfig auditConfig, Duration queryTimeout) {
    GatewayConfig config = TestingGateway.demoConfig();
    log = AuditLog.open(auditConfig);
    List<Warehouse> warehouses = new ArrayList<>();
    WarehouseSpy dwSpy = null;
    WarehouseSpy lakeSpy = null;
    for (WarehouseConfig warehouseConfig : config.warehouses()) {
      Warehouse warehouse = WarehouseConnector.open(warehouseConfig);
      opened.add(warehouse);
      WarehouseSpy spy = new WarehouseSpy(warehouse.dataSource(), log.directory());
      if (warehouse.name().equals("dw")) {
        dwSpy = spy;
      } else {
        lakeSpy = spy;
      }
      warehouses.add(new Warehouse(warehouse.name(), warehouse.dialect(), spy.dataSource(), () -> {}));
    }
    dw = dwSpy;
    lake = lakeSpy;
    VirtualCatalog catalog = VirtualCatalog.build(config.schema(), warehouses)
        .withGatewayTables(List.of(QueryLogTable.gatewayTable(new AuditReader(log.directory()))));
    Governance governance =
        new Governance(catalog, new PolicySource(config.policies(), VariableResolver.of(Map.of())).load());
    EngineConfig defaults = config.engine();
    EngineConfig engineConfig = new EngineConfig(queryTimeout, defaults.defaultFrameRows(),
        defaults.maxFrameRows(), defaults.planCacheSize(), defaults.arrowBatchRows());
    engine = new QueryEngine(catalog, governance, engineConfig, StrictPushdown.none(),
        new AuditTrail(log, auditConfig.redactLiterals(), governance::policies));
    engine.start();
  }

  Path directory() {
    return log.directory();
  }

  List<String> unlogged() {
    List<String> all = new ArrayList<>(dw.unlogged());
    all.addAll(lake.unlogged());
    return all;
  }

  List<String> statements() {
    List<String> all = new ArrayList<>(dw.statements());
    all.addAll(lake.statements());
    return all;
  }

  @Override
  public void close() throws IOException {
    engine.close();
    log.close();
    for (Warehouse warehouse : opened) {
      warehouse.close();
    }
  }
}
