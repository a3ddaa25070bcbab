package dev.sluice.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.dialects.postgresql.TestingPostgres;
import dev.sluice.gateway.GatewayServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL warehouse stops in the middle of the test and comes back on the same port: its
 * circuit breaker opens, so its queries fail fast while DuckDB's keep working, and closes again
 * after the restart, without restarting the gateway.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AdmissionCircuitBreakerTest {
  private static final String PG_QUERY = "SELECT COUNT(*) FROM items";
  private static final String DUCKDB_QUERY = "SELECT COUNT(*) FROM products WHERE product_id < 10";
  private static final String BREAKER = """
      connections: { timeout: 500ms, attempts: 2, backoff: 100ms }
      circuit_breaker: { failure_rate: 50, window: 4, minimum_calls: 2, open_for: 2s, half_open_calls: 1 }
      """;

  private EmbeddedPostgres postgres;
  private GatewayServer server;
  private Path dataDirectory;

  @AfterEach
  void stop() throws IOException {
    try {
      if (server != null) {
        server.close();
      }
      if (postgres != null) {
        postgres.close();
      }
    } finally {
      if (dataDirectory != null) {
        try (Stream<Path> files = Files.walk(dataDirectory)) {
          files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    }
  }

  @Test
  void queriesFailFastWhileThePostgresWarehouseIsDownAndRecoverWhenItIsBack(@TempDir Path directory)
      throws Exception {
    // Not under @TempDir: as root the server runs as nobody, who must reach its data directory.
    dataDirectory = Path.of("target", "breaker-pg-" + System.nanoTime()).toAbsolutePath();
    int port = freePort();
    postgres = TestingPostgres.startKeepingData(dataDirectory, port);
    AdmissionTestbed.createTables(postgres);
    server = new GatewayServer(AdmissionTestbed.config(directory, port, BREAKER));
    server.start();
    long products = AdmissionTestbed.count(server, "admin", DUCKDB_QUERY);
    assertThat(AdmissionTestbed.count(server, "admin", PG_QUERY)).isEqualTo(AdmissionTestbed.ITEMS);

    postgres.close();
    postgres = null;

    // The first failures wait for the connection timeout (with one retry); then the breaker opens.
    String fastFailure = null;
    for (int attempt = 0; attempt < 10 && fastFailure == null; attempt++) {
      long start = System.nanoTime();
      Optional<SQLException> failure = failure(PG_QUERY);
      assertThat(failure).as("a query to the stopped warehouse").isPresent();
      assertThat(failure.get().getSQLState()).isEqualTo("08006");
      if (failure.get().getMessage().contains("circuit open")) {
        assertThat(elapsed(start)).isLessThan(Duration.ofMillis(500));
        fastFailure = failure.get().getMessage();
      }
    }
    assertThat(fastFailure)
        .isNotNull()
        .containsPattern("Warehouse 'pg' is unavailable \\(circuit open after \\d+ failures?\\); retry in \\ds");
    assertThat(AdmissionTestbed.count(server, "admin", DUCKDB_QUERY)).isEqualTo(products);
    PrometheusText open = PrometheusText.scrape(server.httpPort());
    assertThat(open.value("sluice_circuit_breaker_state", "warehouse", "pg", "state", "open")).isEqualTo(1);
    assertThat(open.value("sluice_circuit_breaker_state", "warehouse", "dw", "state", "closed")).isEqualTo(1);
    assertThat(open.value("sluice_admission_rejections_total", "limit", "warehouse", "reason", "circuit_open", "warehouse", "pg"))
        .isGreaterThanOrEqualTo(1);
    server.readiness().refreshAll();
    assertThat(readyz()).startsWith("503").contains("warehouse:pg FAILING").contains("warehouse:dw ok");

    postgres = TestingPostgres.startKeepingData(dataDirectory, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (failure(PG_QUERY).isPresent()) {
      assertThat(System.nanoTime()).as("the warehouse is back, so its queries must succeed again").isLessThan(deadline);
      Thread.sleep(250);
    }
    assertThat(AdmissionTestbed.count(server, "admin", PG_QUERY)).isEqualTo(AdmissionTestbed.ITEMS);
    PrometheusText closed = PrometheusText.scrape(server.httpPort());
    assertThat(closed.value("sluice_circuit_breaker_state", "warehouse", "pg", "state", "closed")).isEqualTo(1);
    server.readiness().refreshAll();
    assertThat(readyz()).startsWith("200");
  }

  private Optional<SQLException> failure(String sql) {
    try {
      AdmissionTestbed.count(server, "admin", sql);
      return Optional.empty();
    } catch (SQLException e) {
      return Optional.of(e);
    }
  }

  private String readyz() throws Exception {
    var response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + server.httpPort() + "/readyz")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
