package dev.sluice.dialects.databricks;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.dialects.PoolTuning;
import dev.sluice.dialects.Warehouse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How to connect to one Databricks SQL warehouse, the way its admins describe it on the
 * warehouse's "Connection details" tab: server hostname, port, HTTP path, credentials, and the
 * default catalog and schema; plus how many pooled connections the gateway may use.
 */
public record DatabricksConnectionSettings(
    String serverHostname,
    int port,
    String httpPath,
    DatabricksAuthentication authentication,
    Optional<String> catalog,
    Optional<String> schema,
    int poolSize) {

  /** Databricks serves JDBC over HTTPS only. */
  public static final int DEFAULT_PORT = 443;

  /** The driver class of {@code com.databricks:databricks-jdbc} 3.x. */
  public static final String DRIVER_CLASS = "com.databricks.client.jdbc.Driver";

  /**
   * Statements every pooled session runs once. Databricks timestamps are TIMESTAMP_LTZ, shown in
   * the session time zone (the workspace's default otherwise), so UTC makes them independent of
   * the workspace.
   */
  public static final List<String> SESSION_SETUP = List.of("SET TIME ZONE 'UTC'");

  public DatabricksConnectionSettings {
    requireNonNull(serverHostname, "serverHostname is null");
    requireNonNull(httpPath, "httpPath is null");
    requireNonNull(authentication, "authentication is null");
    requireNonNull(catalog, "catalog is null");
    requireNonNull(schema, "schema is null");
    if (serverHostname.isBlank() || !serverHostname.matches("[A-Za-z0-9.-]+")) {
      throw new IllegalArgumentException(
          "serverHostname must be a host name such as dbc-a1b2c3d4-e5f6.cloud.databricks.com"
              + " (no scheme, port or path), was '" + serverHostname + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
    }
    if (!httpPath.startsWith("/")) {
      throw new IllegalArgumentException(
          "httpPath must start with '/', such as /sql/1.0/warehouses/1234567890abcdef, was '"
              + httpPath + "'");
    }
    checkUrlValue("httpPath", httpPath);
    catalog.ifPresent(value -> checkUrlValue("catalog", value));
    schema.ifPresent(value -> checkUrlValue("schema", value));
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
    }
  }

  /** Settings on the default port, 443. */
  public DatabricksConnectionSettings(
      String serverHostname,
      String httpPath,
      DatabricksAuthentication authentication,
      Optional<String> catalog,
      Optional<String> schema,
      int poolSize) {
    this(serverHostname, DEFAULT_PORT, httpPath, authentication, catalog, schema, poolSize);
  }

  // The URL is ";"-separated key=value pairs with no escaping, so a value containing ";" or "="
  // would smuggle in another connection parameter.
  static void checkUrlValue(String name, String value) {
    if (value.isBlank() || value.contains(";") || value.contains("=")) {
      throw new IllegalArgumentException(
          name + " must not be empty or contain ';' or '=', was '" + value + "'");
    }
  }

  /**
   * The JDBC URL in the driver's documented form, without any secret, so it is safe to log: {@code
   * jdbc:databricks://HOST:443/default;transportMode=http;ssl=1;httpPath=PATH;AuthMech=3}.
   */
  public String jdbcUrl() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("transportMode", "http");
    parameters.put("ssl", "1");
    parameters.put("httpPath", httpPath);
    parameters.putAll(new java.util.TreeMap<>(authentication.urlParameters()));
    catalog.ifPresent(value -> parameters.put("ConnCatalog", value));
    schema.ifPresent(value -> parameters.put("ConnSchema", value));
    StringBuilder url =
        new StringBuilder("jdbc:databricks://").append(serverHostname).append(':').append(port)
            .append("/default");
    parameters.forEach((key, value) -> url.append(';').append(key).append('=').append(value));
    return url.toString();
  }

  /** The driver properties carrying the credentials; never log them. */
  public Properties driverProperties() {
    Properties properties = new Properties();
    properties.putAll(authentication.secretProperties());
    return properties;
  }

  /**
   * Creates the connection pool; closing the returned warehouse closes it. Connections are opened
   * on first use, so an unreachable workspace does not stop the gateway from starting (the {@code
   * check} command reports why it is unreachable).
   */
  public Warehouse open(String name) {
    return open(name, PoolTuning.defaults());
  }

  /** As {@link #open(String)}, with the pool's waits, validation and metrics set by {@code tuning}. */
  public Warehouse open(String name, PoolTuning tuning) {
    requireNonNull(tuning, "tuning is null");
    requireNonNull(name, "name is null");
    // Left alone, the driver logs through java.util.logging into databricks_jdbc.log files in the
    // working directory; send its logging where the gateway's goes instead.
    if (System.getProperty("com.databricks.jdbc.loggerImpl") == null) {
      System.setProperty("com.databricks.jdbc.loggerImpl", "SLF4JLOGGER");
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("databricks-" + name);
    config.setDataSource(new DatabricksDataSource(jdbcUrl(), driverProperties()));
    config.setMaximumPoolSize(poolSize);
    config.setInitializationFailTimeout(-1);
    // No setReadOnly: the driver does not support read-only connections. Read-only access is the
    // gateway's invariant (only generated queries are sent) and the service principal's grants.
    config.setConnectionInitSql(String.join("; ", SESSION_SETUP));
    tuning.applyTo(config);
    HikariDataSource pool = new HikariDataSource(config);
    return new Warehouse(name, DatabricksDialect.INSTANCE, pool, pool::close);
  }
}
