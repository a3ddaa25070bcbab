package dev.sluice.gateway.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A warehouse data source, for one execution of a federated plan, that starts every statement
 * with the execution's attribution comment. Calcite's generated code holds its pushdown SQL as a
 * constant and runs it through the data source it finds in the schema tree, so this is the one
 * place that SQL can be attributed. A dynamic proxy, because only a handful of the many
 * {@link Connection} and {@link Statement} methods carry SQL text.
 */
final class AttributingDataSource {
  private static final Set<String> CONNECTION_SQL_METHODS = Set.of("prepareStatement", "prepareCall");
  private static final Set<String> STATEMENT_SQL_METHODS =
      Set.of("executeQuery", "execute", "executeUpdate", "executeLargeUpdate", "addBatch");

  private AttributingDataSource() {}

  static DataSource wrap(DataSource target, QueryAttribution attribution) {
    return proxy(DataSource.class, target, (method, args) -> {
      Object result = invoke(target, method, args);
      return result instanceof Connection connection && method.getName().equals("getConnection")
          ? connection(connection, attribution)
          : result;
    });
  }

  private static Connection connection(Connection target, QueryAttribution attribution) {
    return proxy(Connection.class, target, (method, args) -> {
      if (CONNECTION_SQL_METHODS.contains(method.getName())) {
        attach(args, attribution);
      }
      Object result = invoke(target, method, args);
      return result instanceof Statement statement && method.getName().equals("createStatement")
          ? statement(statement, attribution)
          : result;
    });
  }

  private static Statement statement(Statement target, QueryAttribution attribution) {
    return proxy(Statement.class, target, (method, args) -> {
      if (STATEMENT_SQL_METHODS.contains(method.getName())) {
        attach(args, attribution);
      }
      return invoke(target, method, args);
    });
  }

  private static void attach(Object[] args, QueryAttribution attribution) {
    if (args != null && args.length > 0 && args[0] instanceof String sql) {
      args[0] = attribution.attach(sql);
    }
  }

  private interface Call {
    Object call(Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, T target, Call call) {
    InvocationHandler handler = (self, method, args) -> call.call(method, args);
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
