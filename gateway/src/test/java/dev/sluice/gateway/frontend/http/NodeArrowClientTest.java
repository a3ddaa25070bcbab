package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real web client: Node's {@code fetch} and the {@code apache-arrow} npm package (pinned by
 * {@code src/test/node/package-lock.json}, installed with {@code npm ci} under {@code target/})
 * read {@code /v1/query} as the CDP UI would. Skipped only where Node is not installed.
 */
class NodeArrowClientTest {
  private static final Path SOURCES = Path.of("src", "test", "node");
  private static final Path CLIENT = Path.of("target", "node-client");
  private static final List<String> FILES = List.of("package.json", "package-lock.json", "query.mjs");

  private static GatewayServer server;

  @BeforeAll
  static void installTheClient() throws Exception {
    Assumptions.assumeTrue(
        commandWorks("node", "--version"),
        "Node.js is not installed (no `node` on the PATH): skipping the Node Arrow client test");
    server = TestingGateway.shared();
    Files.createDirectories(CLIENT);
    boolean changed = false;
    for (String file : FILES) {
      Path source = SOURCES.resolve(file);
      Path target = CLIENT.resolve(file);
      changed |= !Files.exists(target) || Files.mismatch(source, target) != -1;
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
    if (changed || !Files.exists(CLIENT.resolve("node_modules/apache-arrow/package.json"))) {
      Result install = run(300, "npm", "ci", "--no-audit", "--no-fund");
      assertThat(install.exitCode()).as("npm ci failed:\n%s", install.output()).isZero();
    }
  }

  @Test
  void miaSeesOnlyEuCustomersWithHashedEmails() throws Exception {
    Result result = query(server, "mia", "SELECT customer_id, email, region FROM cdp.customers ORDER BY customer_id");

    assertThat(result.exitCode()).as(result.output()).isZero();
    JsonNode answer = QueryClient.JSON.readTree(result.stdout());
    long euCustomers = count("mia", "SELECT COUNT(*) FROM cdp.customers");
    assertThat(answer.get("row_count").asLong()).isEqualTo(euCustomers).isLessThan(TestingGateway.CUSTOMERS);
    assertThat(answer.at("/columns/1/name").asText()).isEqualTo("email");
    assertThat(answer.at("/columns/1/type").asText()).isEqualTo("Utf8");

    JsonNode first = answer.get("first_row");
    assertThat(first.get("region").asText()).isEqualTo("EU");
    String clearEmail = (String) TestingGateway.rows(server, "protobuf", "admin",
        "SELECT email FROM cdp.customers WHERE customer_id = ?", first.get("customer_id").asLong()).get(0).get(0);
    assertThat(first.get("email").asText())
        .matches("[0-9a-f]{64}")
        .isEqualTo(sha256(clearEmail.trim().toLowerCase(Locale.ROOT)));
  }

  @Test
  void parametersAndManyRowsInManyBatches() throws Exception {
    GatewayServer smallBatches = TestingGateway.smallBatches();
    String sql = "SELECT order_id, amount, purchased_at FROM cdp.purchases WHERE customer_id < ?";

    Result result = query(smallBatches, "admin", sql, "[5000]");

    assertThat(result.exitCode()).as(result.output()).isZero();
    JsonNode answer = QueryClient.JSON.readTree(result.stdout());
    long expected = count("admin", "SELECT COUNT(*) FROM cdp.purchases WHERE customer_id < 5000");
    assertThat(answer.get("row_count").asLong()).isEqualTo(expected).isGreaterThan(50_000);
    assertThat(answer.get("batches").asLong()).isGreaterThanOrEqualTo(expected / TestingGateway.SMALL_ARROW_BATCH_ROWS);
    assertThat(answer.at("/columns/1/type").asText()).isEqualTo("Decimal[12e+2]");
    assertThat(answer.at("/columns/2/type").asText()).isEqualTo("Timestamp<MICROSECOND>");
  }

  @Test
  void aFailureAfterTheFirstBatchMakesTheClientFail() throws Exception {
    Result result = query(TestingGateway.smallBatches(), "admin", QueryRouteMidStreamFailureTest.FAILS_MID_STREAM);

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.stderr()).contains("The result stream broke off");
  }

  @Test
  void aRefusedQueryReportsTheGatewaysError() throws Exception {
    Result result = query(server, "mia", "SELECT * FROM cdp.audit_secrets");

    assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
    JsonNode answer = QueryClient.JSON.readTree(result.stdout());
    assertThat(answer.get("status").asInt()).isEqualTo(400);
    assertThat(answer.at("/error/error/sqlstate").asText()).isEqualTo("42S02");
  }

  private static Result query(GatewayServer target, String user, String sql, String... parameters) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        "node", "query.mjs", QueryClient.uri(target).toString(), user, user + "-demo", sql));
    command.addAll(List.of(parameters));
    return run(120, command.toArray(String[]::new));
  }

  private static long count(String user, String sql) throws Exception {
    return ((Number) TestingGateway.rows(server, "protobuf", user, sql).get(0).get(0)).longValue();
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
  }

  record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  private static Result run(int timeoutSeconds, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(CLIENT.toFile()).start();
    process.getOutputStream().close();
    CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), stdout.get(), stderr.get());
  }

  private static String readAll(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static boolean commandWorks(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
