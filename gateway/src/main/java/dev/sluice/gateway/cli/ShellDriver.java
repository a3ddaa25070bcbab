package dev.sluice.gateway.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The stock Avatica driver, plus the connection properties {@code sluice shell} sets that SQLLine
 * has no option for (such as the declared {@code purpose}): they are read from system properties
 * named {@code sluice.shell.property.NAME}. URLs start with {@code jdbc:sluice-shell:} followed by
 * the Avatica URL without its {@code jdbc:} prefix.
 */
public final class ShellDriver implements Driver {
  static final String PREFIX = "jdbc:sluice-shell:";
  static final String PROPERTY = "sluice.shell.property.";

  private final Driver avatica = new org.apache.calcite.avatica.remote.Driver();

  static {
    try {
      DriverManager.registerDriver(new ShellDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Properties properties = new Properties();
    if (info != null) {
      properties.putAll(info);
    }
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(PROPERTY)) {
        properties.setProperty(name.substring(PROPERTY.length()), System.getProperty(name));
      }
    }
    Connection connection = avatica.connect("jdbc:" + url.substring(PREFIX.length()), properties);
    return connection == null ? null : withReportedErrors(connection);
  }

  /**
   * {@code connection}, whose statements, result sets and metadata fail with {@link ReportedError}s.
   * The stock driver raises the gateway's refusals of metadata calls (such as a missing purpose)
   * unchecked, and SQLLine then prints an UndeclaredThrowableException instead of the gateway's
   * message; and SQLLine prints every error's stack trace while it runs {@code -e} commands, which
   * buries the message (with its SQLSTATE) under some forty lines of client frames.
   */
  static Connection withReportedErrors(Connection connection) {
    return wrap(Connection.class, connection, null);
  }

  /** {@code target} as {@code type}, with the JDBC objects it hands out wrapped the same way. */
  private static <T> T wrap(Class<T> type, T target, Object parent) {
    return type.cast(Proxy.newProxyInstance(
        ShellDriver.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
          if (method.getName().equals("getConnection") && parent != null) {
            return parent;
          }
          Object result = invoke(target, method, args);
          Class<?> returned = method.getReturnType();
          if (result == null || !returned.isInterface() || returned == Connection.class) {
            return result;
          }
          for (Class<?> wrapped : WRAPPED) {
            if (returned == wrapped) {
              @SuppressWarnings("unchecked")
              Class<Object> as = (Class<Object>) wrapped;
              return wrap(as, result, type == Connection.class ? proxy : parent);
            }
          }
          return result;
        }));
  }

  private static final java.util.List<Class<?>> WRAPPED = java.util.List.of(
      DatabaseMetaData.class, java.sql.Statement.class, java.sql.PreparedStatement.class,
      java.sql.CallableStatement.class, java.sql.ResultSet.class);

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException sql && !(sql instanceof ReportedError)) {
        throw new ReportedError(sql.getMessage(), sql.getSQLState(), sql.getErrorCode(), sql);
      }
      if (cause instanceof org.apache.calcite.avatica.AvaticaClientRuntimeException remote
          && method.getExceptionTypes().length > 0) {
        // How the stock driver reports a metadata call the gateway refused; keep its SQLSTATE.
        throw new ReportedError(remote.getMessage(), remote.getSqlState(), remote.getErrorCode(), remote);
      }
      if (cause instanceof RuntimeException && !(cause instanceof UnsupportedOperationException)
          && method.getExceptionTypes().length > 0) {
        // Something unexpected in the client: checked, so SQLLine reports it, with its trace.
        throw new SQLException(cause.getMessage(), cause);
      }
      throw cause;
    }
  }

  /**
   * An error the gateway (or the driver, for a connection problem) reported: its message, SQLSTATE
   * and code are the whole story, and SQLLine shows them on one line. Its stack trace would only be
   * the shell's own frames, so it prints none.
   */
  static final class ReportedError extends SQLException {
    ReportedError(String message, String sqlState, int code, Throwable cause) {
      super(message, sqlState, code, cause);
    }

    @Override
    public void printStackTrace() {
      // SQLLine has already printed "Error: <message> (state=..., code=...)".
    }
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    return avatica.getPropertyInfo("jdbc:" + url.substring(PREFIX.length()), info);
  }

  @Override
  public int getMajorVersion() {
    return avatica.getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return avatica.getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("ShellDriver does not use java.util.logging");
  }
}
