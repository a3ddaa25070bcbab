package dev.sluice.dialects.databricks;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opens Databricks connections with the credentials in driver properties. HikariCP's own driver
 * data source would pass them as "user"/"password", names the Databricks driver does not read,
 * and it logs data source properties whose names do not contain "password" (such as PWD).
 */
final class DatabricksDataSource implements DataSource {
  private final String url;
  private final Properties properties;
  private int loginTimeoutSeconds;

  DatabricksDataSource(String url, Properties properties) {
    this.url = requireNonNull(url, "url is null");
    this.properties = (Properties) requireNonNull(properties, "properties is null").clone();
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = driver().connect(url, (Properties) properties.clone());
    if (connection == null) {
      throw new SQLException("the Databricks driver does not accept the URL " + url);
    }
    return connection;
  }

  private static Driver driver() throws SQLException {
    try {
      return (Driver)
          Class.forName(DatabricksConnectionSettings.DRIVER_CLASS)
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException e) {
      throw new SQLException(
          "the Databricks JDBC driver (" + DatabricksConnectionSettings.DRIVER_CLASS
              + ") is not on the class path", "08001", e);
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    // Credentials come from the warehouse settings only.
    throw new SQLFeatureNotSupportedException("Databricks connections take their credentials from the settings");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    return "DatabricksDataSource[" + url + "]";
  }
}
