package dev.sluice.gateway.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the two embedded demo warehouses ({@code dw.duckdb} and {@code lake.duckdb}) in a data
 * directory, deterministically from a seed, and reuses them when they were already generated
 * with the same parameters.
 */
public record DemoDataGenerator(Path dataDirectory, long customers, long seed) {
  public static final String DW_FILE = "dw.duckdb";
  public static final String LAKE_FILE = "lake.duckdb";
  private static final String MARKER_FILE = "demo-data.properties";

  public DemoDataGenerator {
    requireNonNull(dataDirectory, "dataDirectory is null");
    if (customers < 1) {
      throw new IllegalArgumentException("customers must be at least 1, was " + customers);
    }
  }

  public Path dwFile() {
    return dataDirectory.resolve(DW_FILE);
  }

  public Path lakeFile() {
    return dataDirectory.resolve(LAKE_FILE);
  }

  /**
   * Makes sure both files hold the data for (customers, seed), generating them if needed.
   *
   * @return true if the files were generated, false if existing ones were reused
   */
  public boolean generate() throws IOException, SQLException {
    Files.createDirectories(dataDirectory);
    Path marker = dataDirectory.resolve(MARKER_FILE);
    if (isCurrent(marker)) {
      return false;
    }
    // Without a matching marker the files are whatever a crash or another size left behind.
    Files.deleteIfExists(marker);
    Path dwTemporary = dataDirectory.resolve(DW_FILE + ".tmp");
    Path lakeTemporary = dataDirectory.resolve(LAKE_FILE + ".tmp");
    deleteDatabase(dwTemporary);
    deleteDatabase(lakeTemporary);
    fill(dwTemporary, lakeTemporary);
    install(dwTemporary, dwFile());
    install(lakeTemporary, lakeFile());
    Path markerTemporary = dataDirectory.resolve(MARKER_FILE + ".tmp");
    Files.writeString(markerTemporary, markerText());
    Files.move(markerTemporary, marker, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  private boolean isCurrent(Path marker) throws IOException {
    return Files.isRegularFile(marker)
        && Files.isRegularFile(dwFile())
        && Files.isRegularFile(lakeFile())
        && Files.readString(marker).equals(markerText());
  }

  private String markerText() {
    return "format="
        + DemoDataSql.FORMAT_VERSION
        + "\ncustomers="
        + customers
        + "\nseed="
        + seed
        + "\n";
  }

  private void fill(Path dwTemporary, Path lakeTemporary) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + dwTemporary);
        Statement statement = connection.createStatement()) {
      statement.execute("ATTACH '" + sqlString(lakeTemporary) + "' AS lake");
      for (String sql : DemoDataSql.statements(customers, seed)) {
        statement.execute(sql);
      }
      // Everything lands in the database files, so no write-ahead log has to travel with them.
      statement.execute("CHECKPOINT");
      statement.execute("CHECKPOINT lake");
      statement.execute("DETACH lake");
    }
  }

  private static void install(Path temporary, Path target) throws IOException {
    // A log left from an earlier database of that name would be replayed into the new one.
    Files.deleteIfExists(walOf(target));
    Files.move(
        temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteDatabase(Path file) throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(walOf(file));
  }

  private static Path walOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".wal");
  }

  private static String sqlString(Path path) {
    return path.toAbsolutePath().toString().replace("'", "''");
  }
}
