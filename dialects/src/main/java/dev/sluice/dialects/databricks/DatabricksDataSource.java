package dev.sluice.dialects.databricks;

import static java.util.Objects.requireNonNull;

import dev.sluice.dialects.ConnectionFactoryDataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens Databricks connections with the credentials in driver properties. HikariCP's own driver
 * data source would pass them as "user"/"password", names the Databricks driver does not read,
 * and it logs data source properties whose names do not contain "password" (such as PWD).
 */
final class DatabricksDataSource extends ConnectionFactoryDataSource {
  private final String url;
  private final Properties properties;

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
  public String toString() {
    return "DatabricksDataSource[" + url + "]";
  }
}
