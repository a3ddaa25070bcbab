package dev.sluice.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Start-up refuses a malformed configuration, listing every problem with its key path. */
class ServeCommandTest {
  @TempDir Path directory;

  @Test
  void malformedConfigurationFailsStartUpListingEveryProblem() throws Exception {
    Path config = directory.resolve("bad.yaml");
    Files.writeString(
        config,
        """
        listeners:
          http: { host: 127.0.0.1, port: 70000, prot: 1 }
        warehouses:
          dw: { dialect: duckdb, pool_size: 0, duckdb: { path: /nowhere/dw.duckdb } }
        schema:
          tables:
            customers:
              kind: customer_base
              source: dx.retail.households
              primary_key: [customer_id]
              customer_key: customer_id
              columns: { customer_id: household_key }
        users:
          admin: { password_env: SLUICE_TEST_UNSET_VARIABLE_XYZ, roles: [admin] }
        """);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream previous = System.err;
    int exitCode;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exitCode = new CommandLine(new SluiceCommand()).execute("serve", "--config", config.toString());
    } finally {
      System.setErr(previous);
    }
    String message = err.toString(StandardCharsets.UTF_8);
    assertThat(exitCode).isEqualTo(2);
    assertThat(message)
        .contains("listeners.http.port")
        .contains("listeners.http.prot")
        .contains("warehouses.dw.pool_size")
        .contains("schema.tables.customers.source")
        .contains("users.admin.password_env");
  }

  @Test
  void missingWarehouseFileFailsStartUpClearly() throws Exception {
    Path config = directory.resolve("missing.yaml");
    Files.writeString(
        config,
        """
        warehouses:
          dw: { dialect: duckdb, duckdb: { path: %s } }
        schema:
          tables:
            products:
              kind: entity
              source: dw.retail.skus
              primary_key: [product_id]
              columns: { product_id: sku_id }
        users:
          admin: { password_hash: "$2a$10$abcdefghijklmnopqrstuuM0xGZ1pMbKZOTuFoRYi7/RJ5oN1N9WK", roles: [admin] }
        """.formatted(directory.resolve("absent.duckdb")));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream previous = System.err;
    int exitCode;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exitCode = new CommandLine(new SluiceCommand()).execute("serve", "--config", config.toString());
    } finally {
      System.setErr(previous);
    }
    assertThat(exitCode).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Cannot open warehouse dw").contains("absent.duckdb");
  }
}
