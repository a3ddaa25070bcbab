package dev.sluice.dialects.redshift;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.dialects.PoolTuning;
import dev.sluice.dialects.Warehouse;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * How to connect to one Amazon Redshift database the way its admins describe it: host, port,
 * database, user, and either a password (the value: the gateway resolves it from the
 * environment) or an AWS IAM profile whose temporary credentials the driver fetches itself.
 */
public record RedshiftConnectionSettings(
    String host,
    int port,
    String database,
    String user,
    Optional<String> password,
    Optional<String> iamProfile,
    String sslMode,
    int poolSize) {
  public static final int DEFAULT_PORT = 5439;
  public static final String DEFAULT_SSL_MODE = "verify-full";
  public static final String DRIVER_CLASS = "com.amazon.redshift.jdbc.Driver";

  /** The SSL modes Sluice accepts; {@code disable} turns SSL off, the others are the driver's. */
  public static final List<String> SSL_MODES = List.of("disable", "require", "verify-ca", "verify-full");

  /** Statements every pooled session runs once: UTC makes TIMESTAMPTZ handling host-independent. */
  public static final List<String> SESSION_SETUP = List.of("SET timezone TO 'UTC'");

  public RedshiftConnectionSettings {
    requireNonNull(host, "host is null");
    requireNonNull(database, "database is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    requireNonNull(iamProfile, "iamProfile is null");
    requireNonNull(sslMode, "sslMode is null");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
    }
    if (password.isPresent() == iamProfile.isPresent()) {
      throw new IllegalArgumentException("exactly one of password and iamProfile must be given");
    }
    if (!SSL_MODES.contains(sslMode)) {
      throw new IllegalArgumentException(
          "sslMode must be one of " + String.join(", ", SSL_MODES) + ", was " + sslMode);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
    }
  }

  /** With a password. */
  public static RedshiftConnectionSettings withPassword(
      String host, int port, String database, String user, String password, String sslMode, int poolSize) {
    return new RedshiftConnectionSettings(
        host, port, database, user, Optional.of(password), Optional.empty(), sslMode, poolSize);
  }

  /** With an IAM profile (from the AWS credentials file of the gateway's host). */
  public static RedshiftConnectionSettings withIamProfile(
      String host, int port, String database, String user, String iamProfile, String sslMode, int poolSize) {
    return new RedshiftConnectionSettings(
        host, port, database, user, Optional.empty(), Optional.of(iamProfile), sslMode, poolSize);
  }

  /**
   * The JDBC URL, without credentials: {@code jdbc:redshift://} for a password, {@code
   * jdbc:redshift:iam://} for IAM, where the driver asks AWS for temporary database credentials.
   */
  public String jdbcUrl() {
    String scheme = iamProfile.isPresent() ? "jdbc:redshift:iam://" : "jdbc:redshift://";
    return scheme + host + ":" + port + "/" + database;
  }

  /** The driver properties: credentials, SSL, and the application name. */
  public Properties driverProperties() {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    password.ifPresent(value -> properties.setProperty("password", value));
    iamProfile.ifPresent(profile -> {
      properties.setProperty("Profile", profile);
      // With IAM the user is the database user to get credentials for.
      properties.setProperty("DbUser", user);
    });
    if (sslMode.equals("disable")) {
      properties.setProperty("ssl", "false");
    } else {
      properties.setProperty("ssl", "true");
      properties.setProperty("sslmode", sslMode);
    }
    // The driver's default ("always") makes setReadOnly(true) send SET readonly=1, a
    // Redshift-only setting; "transaction" opens every transaction with BEGIN READ ONLY instead,
    // which Redshift and PostgreSQL (behind test shims and Redshift-compatible proxies) both honour.
    properties.setProperty("readOnlyMode", "transaction");
    // Shows up in STV_SESSIONS / SYS_QUERY_HISTORY, so a DBA can tell the gateway's sessions apart.
    properties.setProperty("ApplicationName", "sluice");
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
    config.setPoolName("redshift-" + name);
    config.setDriverClassName(DRIVER_CLASS);
    config.setJdbcUrl(jdbcUrl());
    config.setDataSourceProperties(driverProperties());
    config.setMaximumPoolSize(poolSize);
    // Read-only transactions (see driverProperties) need auto-commit off; it also lets the driver
    // stream results with a cursor instead of reading them whole.
    config.setReadOnly(true);
    config.setAutoCommit(false);
    config.setConnectionInitSql(String.join("; ", SESSION_SETUP));
    config.setInitializationFailTimeout(-1);
    tuning.applyTo(config);
    HikariDataSource pool = new HikariDataSource(config);
    return new Warehouse(name, RedshiftDialect.INSTANCE, pool, pool::close);
  }

  @Override
  public String toString() {
    // The password never appears in logs or error messages.
    return "RedshiftConnectionSettings[host=" + host + ", port=" + port + ", database=" + database
        + ", user=" + user + ", password=" + password.map(p -> "****").orElse("none")
        + ", iamProfile=" + iamProfile.orElse("none") + ", sslMode=" + sslMode
        + ", poolSize=" + poolSize + "]";
  }
}
