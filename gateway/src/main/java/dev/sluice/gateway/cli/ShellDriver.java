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
    return connection == null ? null : withCheckedMetadataErrors(connection);
  }

  /**
   * {@code connection}, whose metadata fails with {@link SQLException}s: the stock driver raises
   * the gateway's refusals of metadata calls (such as a missing purpose) unchecked, and SQLLine
   * then prints an UndeclaredThrowableException instead of the gateway's message.
   */
  static Connection withCheckedMetadataErrors(Connection connection) {
    return (Connection) Proxy.newProxyInstance(
        ShellDriver.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          Object result = invoke(connection, method, args);
          if (result instanceof DatabaseMetaData metadata && method.getName().equals("getMetaData")) {
            return Proxy.newProxyInstance(
                ShellDriver.class.getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                (metaProxy, metaMethod, metaArgs) -> metaMethod.getName().equals("getConnection")
                    ? proxy
                    : invoke(metadata, metaMethod, metaArgs));
          }
          return result;
        });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException && !(cause instanceof UnsupportedOperationException)
          && method.getExceptionTypes().length > 0) {
        throw new SQLException(cause.getMessage(), cause);
      }
      throw cause;
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
