package dev.sluice.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A warehouse's data source that sees every statement the warehouse is sent and, at that moment,
 * reads the audit log from disk: a statement whose query has no started record there yet breaks
 * the write-ahead rule and is listed in {@link #unlogged()}.
 */
final class WarehouseSpy {
  private static final Pattern QUERY_ID = Pattern.compile("sluice query_id=([0-9a-f-]{36})");

  private final DataSource dataSource;
  private final Path audit;
  private final List<String> statements = new CopyOnWriteArrayList<>();
  private final List<String> unlogged = new CopyOnWriteArrayList<>();

  WarehouseSpy(DataSource target, Path audit) {
    this.audit = audit;
    this.dataSource = proxy(DataSource.class, target, (t, method, args) -> {
      Object result = invoke(t, method, args);
      return method.getName().equals("getConnection") ? proxy(Connection.class, result, this::connectionCall) : result;
    });
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** Every statement text the warehouse was sent. */
  List<String> statements() {
    return List.copyOf(statements);
  }

  /** Statements sent before their query's started record was on disk (or with no query id). */
  List<String> unlogged() {
    return List.copyOf(unlogged);
  }

  private Object connectionCall(Object connection, Method method, Object[] args) throws Throwable {
    if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
      seen(sql);
    }
    Object result = invoke(connection, method, args);
    if (method.getName().equals("createStatement")) {
      return proxy(java.sql.Statement.class, result, (statement, m, a) -> {
        if (m.getName().startsWith("execute") && a != null && a.length > 0 && a[0] instanceof String sql) {
          seen(sql);
        }
        return invoke(statement, m, a);
      });
    }
    return result;
  }

  private void seen(String sql) throws Exception {
    statements.add(sql);
    Matcher matcher = QUERY_ID.matcher(sql);
    if (!matcher.find()) {
      // Session set-up and metadata calls carry no query id; only query SQL does.
      if (sql.contains("cdp") || sql.contains("retail") || sql.contains("ml.") || sql.contains("web.")) {
        unlogged.add(sql);
      }
      return;
    }
    String queryId = matcher.group(1);
    for (JsonNode record : AuditTesting.records(audit)) {
      if (record.path("type").asText().equals("started") && record.path("query_id").asText().equals(queryId)) {
        return;
      }
    }
    unlogged.add(sql);
  }

  private interface Call {
    Object call(Object target, Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, Object target, Call call) {
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
