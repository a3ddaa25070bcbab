package dev.sluice.gateway.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A warehouse data source that remembers the SQL text of every statement prepared or executed on
 * its connections: DuckDB keeps no query history, so tests read what the warehouse received here.
 */
final class RecordingDataSource {
  private final DataSource dataSource;
  private final List<String> statements = new CopyOnWriteArrayList<>();

  RecordingDataSource(DataSource target) {
    this.dataSource = proxy(DataSource.class, target, (method, args) -> {
      if (method.getName().equals("getConnection")) {
        return proxy(java.sql.Connection.class, invoke(target, method, args), this::connectionCall);
      }
      return invoke(target, method, args);
    });
  }

  DataSource dataSource() {
    return dataSource;
  }

  List<String> statements() {
    return List.copyOf(statements);
  }

  private Object connectionCall(Object connection, Method method, Object[] args) throws Throwable {
    if ((method.getName().equals("prepareStatement") || method.getName().equals("prepareCall"))
        && args != null && args[0] instanceof String sql) {
      statements.add(sql);
    }
    Object result = invoke(connection, method, args);
    if (method.getName().equals("createStatement")) {
      return proxy(java.sql.Statement.class, result, this::statementCall);
    }
    return result;
  }

  private Object statementCall(Object statement, Method method, Object[] args) throws Throwable {
    if (method.getName().startsWith("execute") && args != null && args.length > 0 && args[0] instanceof String sql) {
      statements.add(sql);
    }
    return invoke(statement, method, args);
  }

  private interface Call {
    Object call(Method method, Object[] args) throws Throwable;
  }

  private interface TargetCall {
    Object call(Object target, Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, Object target, Call call) {
    InvocationHandler handler = (self, method, args) -> call.call(method, args);
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static <T> T proxy(Class<T> type, Object target, TargetCall call) {
    InvocationHandler handler = (self, method, args) -> call.call(target, method, args);
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
