package dev.sluice.gateway.engine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
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
            if (method.getName().equals("getConnection") && isConnectionFailure(e.getCause())) {
              onFailure.run();
            }
            throw e.getCause();
          }
        });
  }

  private static boolean isConnectionFailure(Throwable failure) {
    return failure instanceof SQLTransientConnectionException
        || failure instanceof SQLNonTransientConnectionException
        || (failure instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08"));
  }
}
