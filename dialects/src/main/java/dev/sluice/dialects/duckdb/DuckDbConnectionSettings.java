package dev.sluice.dialects.duckdb;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.dialects.PoolTuning;
import dev.sluice.dialects.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * How to connect to one DuckDB database file: where it is, whether it is opened read-only, and
 * how many pooled connections the gateway may use on it.
 */
public record DuckDbConnectionSettings(Path path, boolean readOnly, int poolSize) {

  /**
   * Statements every pooled session runs once. UTC makes any TIMESTAMP WITH TIME ZONE arithmetic
   * independent of the host (the ICU extension that provides time zones is built into the JDBC
   * driver); integer division gives {@code /} the SQL-standard meaning Calcite validated against
   * (DuckDB's default turns {@code 7 / 2} into 3.5).
   */
  public static final List<String> SESSION_SETUP =
      List.of("SET TimeZone = 'UTC'", "SET integer_division = true");

  /**
   * Statements the gateway's pooled sessions run after {@link #SESSION_SETUP}, for streaming rather
   * than semantics. DuckDB 1.4's late materialization rewrites a plain {@code LIMIT} (no {@code
   * ORDER BY}, insertion order preserved) of any size into a row-id semi-join sorted by row id:
   * the join and the sort are sinks, so the whole result is built before its first row, and a
   * million-row {@code LIMIT} takes about 4x as long as scanning it (measured on the demo's
   * purchases: 85 ms against 20 ms). The gateway streams results, so the rewrite only delays them;
   * its one gain, a top-N over a wide table reading its other columns only for the winning rows,
   * matters little for pushdown SQL that names just the columns it needs. Best effort: the setting
   * names an optimizer, so a DuckDB that renames it gets a warning, not a pool that cannot connect.
   */
  public static final List<String> STREAMING_SETUP =
      List.of("SET disabled_optimizers = 'late_materialization'");

  public DuckDbConnectionSettings {
    requireNonNull(path, "path is null");
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
    }
  }

  /**
   * Opens the database file and a connection pool on it; closing the returned warehouse closes
   * both.
   *
   * @throws IllegalArgumentException if the file does not exist
   * @throws SQLException if DuckDB cannot open it
   */
  public Warehouse open(String name) throws SQLException {
    return open(name, PoolTuning.defaults());
  }

  /**
   * As {@link #open(String)}, with the pool's waits, validation and metrics set by {@code tuning}.
   * The pool matters less here than for a server: connections are duplicates of one in-process
   * database, cheap to open, so it mostly saves the session set-up and bounds concurrency.
   */
  public Warehouse open(String name, PoolTuning tuning) throws SQLException {
    requireNonNull(name, "name is null");
    requireNonNull(tuning, "tuning is null");
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          "DuckDB database file for warehouse '" + name + "' does not exist: " + path);
    }
    DuckDBConnection base = openBaseConnection();
    try {
      HikariConfig config = poolConfig(name, base);
      tuning.applyTo(config);
      HikariDataSource pool = new HikariDataSource(config);
      return new Warehouse(
          name,
          DuckDbDialect.INSTANCE,
          Boolean.parseBoolean(System.getProperty(StatementReusingDataSource.ENABLED_PROPERTY, "true"))
              ? new StatementReusingDataSource(pool)
              : pool,
          () -> {
            // The pool's connections are duplicates of the base one, so they go first.
            try (base) {
              pool.close();
            } catch (SQLException e) {
              throw new java.io.IOException("Could not close DuckDB database " + path, e);
            }
          });
    } catch (RuntimeException e) {
      base.close();
      throw e;
    }
  }

  private DuckDBConnection openBaseConnection() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty(DuckDBDriver.DUCKDB_READONLY_PROPERTY, Boolean.toString(readOnly));
    // Without it the driver materializes the whole result in native memory on executeQuery.
    properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
    // The driver keeps one database instance per file and hands it to every connection on the
    // same path in this JVM, but refuses a second open with different properties; duplicating
    // one base connection keeps the pool on that instance with no way to diverge.
    return (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:" + path, properties);
  }

  private HikariConfig poolConfig(String name, DuckDBConnection base) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("duckdb-" + name);
    // The set-up runs in the data source rather than as the pool's init SQL, so that a tuning
    // setting a later DuckDB refuses is skipped instead of failing every connection.
    config.setDataSource(new DuplicatingDataSource(base, SESSION_SETUP, STREAMING_SETUP));
    config.setMaximumPoolSize(poolSize);
    config.setReadOnly(readOnly);
    return config;
  }
}
