package dev.sluice.gateway.engine;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.admission.WarehouseFailures;
import java.sql.SQLException;

/** Turns warehouse driver failures into gateway errors that name the warehouse. */
final class Warehouses {
  private Warehouses() {}

  static GatewayException failure(String warehouse, SQLException e) {
    if (WarehouseFailures.isConnectionFailure(e)) {
      return new GatewayException(
          ErrorCode.WAREHOUSE_UNAVAILABLE,
          "Warehouse " + warehouse + " is unavailable: " + firstLine(e.getMessage()),
          e);
    }
    return new GatewayException(
        ErrorCode.WAREHOUSE_ERROR,
        "Warehouse " + warehouse + " failed to run the query: " + firstLine(e.getMessage()),
        e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail given";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
