package dev.sluice.gateway.cli;

import java.sql.Connection;
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
    return avatica.connect("jdbc:" + url.substring(PREFIX.length()), properties);
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
