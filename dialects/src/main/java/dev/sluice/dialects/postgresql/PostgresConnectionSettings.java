package dev.sluice.dialects.postgresql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.dialects.PoolTuning;
import dev.sluice.dialects.Warehouse;
import java.util.List;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * How to connect to one PostgreSQL database the way its admins describe it: host, port, database,
 * user and password (the value: the gateway resolves it from the environment), SSL mode, and how
 * many pooled connections the gateway may use.
 */
public record PostgresConnectionSettings(
    String host, int port, String database, String user, String password, String sslMode, int poolSize) {
  public static final int DEFAULT_PORT = 5432;
  public static final String DEFAULT_SSL_MODE = "prefer";

  /** The values pgjdbc accepts for {@code sslmode}. */
  public static final List<String> SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /**
   * Statements every pooled session runs once: UTC makes timestamptz arithmetic and rendering
   * independent of the server's and the role's settings.
   */
  public static final List<String> SESSION_SETUP = List.of("SET TIME ZONE 'UTC'");

  public PostgresConnectionSettings {
    requireNonNull(host, "host is null");
    requireNonNull(database, "database is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    requireNonNull(sslMode, "sslMode is null");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
    }
    if (!SSL_MODES.contains(sslMode)) {
      throw new IllegalArgumentException(
          "sslMode must be one of " + String.join(", ", SSL_MODES) + ", was " + sslMode);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
    }
  }

  /** The JDBC URL, without credentials (they travel as properties, never in a loggable URL). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + hostForUrl(host) + ":" + port + "/" + database;
  }

  /** The driver properties: credentials, SSL mode, and what every session must look like. */
  public Properties driverProperties() {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("sslmode", sslMode);
    // Shows up in pg_stat_activity, so a DBA can tell the gateway's sessions apart.
    properties.setProperty("ApplicationName", "sluice");
    // Sent in the startup packet: the session is read-only before any statement runs, and stays
    // so even if a transaction were somehow opened without the pool's setReadOnly.
    properties.setProperty("options", "-c default_transaction_read_only=on -c TimeZone=UTC");
    return properties;
  }

  /** Opens a connection pool on the database; closing the returned warehouse closes it. */
  public Warehouse open(String name) {
    return open(name, PoolTuning.defaults());
  }

  /** As {@link #open(String)}, with the pool's waits, validation and metrics set by {@code tuning}. */
  public Warehouse open(String name, PoolTuning tuning) {
    requireNonNull(tuning, "tuning is null");
    requireNonNull(name, "name is null");
    HikariConfig config = new HikariConfig();
    config.setPoolName("postgresql-" + name);
    config.setDriverClassName(Driver.class.getName());
    config.setJdbcUrl(jdbcUrl());
    config.setDataSourceProperties(driverProperties());
    config.setMaximumPoolSize(poolSize);
    config.setReadOnly(true);
    config.setConnectionInitSql(String.join("; ", SESSION_SETUP));
    // Fail fast at start-up is the connector's job (check command); the pool opens lazily.
    config.setInitializationFailTimeout(-1);
    tuning.applyTo(config);
    HikariDataSource pool = new HikariDataSource(config);
    return new Warehouse(name, PostgresDialect.INSTANCE, pool, pool::close);
  }

  @Override
  public String toString() {
    // The password never appears in logs or error messages.
    return "PostgresConnectionSettings[host=" + host + ", port=" + port + ", database=" + database
        + ", user=" + user + ", sslMode=" + sslMode + ", poolSize=" + poolSize + "]";
  }

  static String hostForUrl(String host) {
    // An IPv6 literal needs brackets in a URL.
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
