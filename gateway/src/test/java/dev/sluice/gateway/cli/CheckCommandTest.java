package dev.sluice.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.gateway.tooling.CheckReport;
import dev.sluice.gateway.tooling.ConnectionCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice check} against the demo's DuckDB warehouses, working and broken. */
class CheckCommandTest {
  @TempDir Path directory;

  @Test
  void demoWarehouseIsOkAndEveryMappedTableReadable() {
    CheckReport report = new ConnectionCheck(TestingGateway.demoConfig(), Duration.ofSeconds(30)).check("dw");
    assertThat(report.ok()).as(report.text()).isTrue();
    assertThat(report.lines().get(0)).matches("OK dw \\(duckdb\\): connected and ran SELECT 1 in \\d+ ms");
    assertThat(report.text())
        .contains("OK   retail.households (for cdp.customers) readable")
        .contains("OK   retail.transactions (for cdp.purchases) readable")
        .contains("OK   retail.skus (for cdp.products) readable")
        .doesNotContain("propensity");
  }

  @Test
  void commandExitsZeroOnTheDemoConfiguration() throws Exception {
    Path config = writeConfig(TestingGateway.demoDirectory().resolve("lake.duckdb"), "lake.ml.propensity");
    Output output = run("check", "--config", config.toString(), "--warehouse", "w");
    assertThat(output.exitCode()).as(output.err()).isZero();
    assertThat(output.out()).startsWith("OK w (duckdb)").contains("OK   ml.propensity (for cdp.scores) readable");
  }

  @Test
  void missingDuckDbFileIsReportedAsSuch() throws Exception {
    Path missing = directory.resolve("nowhere.duckdb");
    Path config = writeConfig(missing, "w.retail.skus");
    Output output = run("check", "--config", config.toString(), "--warehouse", "w");
    assertThat(output.exitCode()).isEqualTo(1);
    assertThat(output.err())
        .startsWith("FAILED w (duckdb) while opening the warehouse: File not found: ")
        .contains(missing.toString())
        .contains("Check the path");
  }

  @Test
  void missingTableIsNamedWithTheVirtualTableThatNeedsIt() throws Exception {
    Path config = writeConfig(TestingGateway.demoDirectory().resolve("dw.duckdb"), "w.retail.no_such_table");
    GatewayConfig loaded = ConfigLoader.load(config, VariableResolver.none());
    CheckReport report = new ConnectionCheck(loaded, Duration.ofSeconds(30)).check("w");
    assertThat(report.ok()).isFalse();
    assertThat(report.lines().get(0)).startsWith("OK w");
    assertThat(report.lines().get(1))
        .startsWith("  FAIL retail.no_such_table (for cdp.scores): Missing schema or table: ")
        .contains("no_such_table");
  }

  @Test
  void unreachableDatabricksHostIsExplainedWithinTheTimeout() throws Exception {
    // A closed port on this machine: the real Databricks driver is configured from hostname,
    // HTTP path and token, and fails to connect; check says so, well within its timeout.
    String yaml = """
        warehouses:
          lake:
            dialect: databricks
            databricks:
              server_hostname: 127.0.0.1
              port: 1
              http_path: /sql/1.0/warehouses/abc
              token_env: DBX_TOKEN
        schema:
          tables:
            products:
              kind: entity
              source: lake.web.skus
              primary_key: [product_id]
              columns: { product_id: sku_id }
        users:
          admin: { password_env: DBX_TOKEN, roles: [admin] }
        """;
    GatewayConfig config = dev.sluice.gateway.config.ConfigLoader.parse(
        yaml, "databricks.yaml", dev.sluice.gateway.config.VariableResolver.of(java.util.Map.of("DBX_TOKEN", "dapi-not-a-real-token")));
    long started = System.nanoTime();
    CheckReport report = new ConnectionCheck(config, Duration.ofSeconds(5)).check("lake");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(report.ok()).isFalse();
    assertThat(report.text()).contains("lake").doesNotContain("dapi-not-a-real-token");
    assertThat(report.text().toLowerCase(java.util.Locale.ROOT))
        .containsAnyOf("refused", "timed out", "could not connect", "cannot connect", "unreachable");
  }

  @Test
  void unknownWarehouseListsTheConfiguredOnes() {
    CheckReport report = new ConnectionCheck(TestingGateway.demoConfig(), Duration.ofSeconds(5)).check("dx");
    assertThat(report.ok()).isFalse();
    assertThat(report.text()).contains("no such warehouse").contains("dw, lake");
  }

  /** A one-warehouse configuration {@code w} on {@code file}, one table read from {@code source}. */
  private Path writeConfig(Path file, String source) throws Exception {
    String table = source.replaceFirst("^[^.]+\\.", "w.");
    Path config = directory.resolve("check.yaml");
    Files.writeString(config, """
        warehouses:
          w:
            dialect: duckdb
            duckdb:
              path: "%s"
        schema:
          tables:
            scores:
              kind: entity
              source: %s
              primary_key: [id]
              columns:
                id: household_key
        users:
          admin:
            password_hash: "$2a$10$Yxuo/Cc2IkxaFUFw5zr2Ae5k0lPmwr2Jv97TK7wMe2BaeU9/WxduC"
            roles: [admin]
        """.formatted(file, table));
    return config;
  }

  record Output(int exitCode, String out, String err) {}

  static Output run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream previousOut = System.out;
    PrintStream previousErr = System.err;
    int exitCode;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exitCode = new CommandLine(new SluiceCommand()).execute(args);
    } finally {
      System.setOut(previousOut);
      System.setErr(previousErr);
    }
    return new Output(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
