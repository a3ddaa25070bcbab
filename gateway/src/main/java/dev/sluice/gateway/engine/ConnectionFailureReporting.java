package dev.sluice.gateway.engine;

import dev.sluice.gateway.admission.WarehouseFailures;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import javax.sql.DataSource;

/**
 * A warehouse data source, for one federated execution, that reports when opening a connection
 * fails; a federated query's failure then counts against the warehouse that could not be reached
 * rather than every warehouse it touched.
 */
final class ConnectionFailureReporting {
  private ConnectionFailureReporting() {}

  static DataSource wrap(DataSource target, Runnable onFailure) {
    return (DataSource) Proxy.newProxyInstance(
        DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class},
        (self, method, args) -> {
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            if (method.getName().equals("getConnection") && WarehouseFailures.isConnectionFailure(e.getCause())) {
              onFailure.run();
            }
            throw e.getCause();
          }
        });
  }
}
