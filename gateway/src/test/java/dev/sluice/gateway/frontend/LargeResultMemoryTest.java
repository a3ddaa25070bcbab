package dev.sluice.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.gateway.testing.TestingGatewayProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten million rows stream through Flight SQL and through Arrow over HTTP from a gateway whose JVM
 * has a 256 MB heap (and so 256 MB of direct memory for Arrow), and a client that stops half-way
 * and disconnects leaves no warehouse connection in use, as the gateway's own pool metrics show.
 */
class LargeResultMemoryTest {
  private static final long ROWS = 10_000_000;
  // purchases (about 1.2 million in the test demo) times nine products, pushed down whole to DuckDB.
  private static final String TEN_MILLION =
      "SELECT pu.order_id, pu.customer_id, pu.amount, pr.product_id"
          + " FROM cdp.purchases AS pu CROSS JOIN cdp.products AS pr WHERE pr.product_id <= 9 LIMIT " + ROWS;
  private static final Pattern ACTIVE_DW =
      Pattern.compile("^hikaricp_active_connections\\{pool=\"[^\"]*dw\"[^}]*\\} ([0-9.Ee+-]+)$", Pattern.MULTILINE);

  @TempDir static Path directory;
  private static TestingGatewayProcess gateway;
  private static int httpPort;
  private static int flightPort;
  private static BufferAllocator allocator;

  @BeforeAll
  static void startGatewayWithASmallHeap() throws Exception {
    httpPort = TestingGatewayProcess.freePort();
    flightPort = TestingGatewayProcess.freePort();
    String demo;
    try (InputStream in = LargeResultMemoryTest.class.getResourceAsStream("/dev/sluice/gateway/demo/demo.yaml")) {
      demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String config = demo.replace("    port: 8765", "    port: " + httpPort)
        .replace("    port: 32010", "    port: " + flightPort)
        .replace("  directory: ${SLUICE_DATA_DIR}/audit", "  directory: " + directory.resolve("audit"));
    Path file = directory.resolve("gateway.yaml");
    Files.writeString(file, config);
    gateway = TestingGatewayProcess.start(
        file,
        List.of("-Xmx256m"),
        Map.of("SLUICE_DATA_DIR", TestingGateway.demoDirectory().toString()),
        List.of(httpPort, flightPort));
    allocator = new RootAllocator();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      String log = gateway.logTail();
      gateway.close();
      assertThat(log).doesNotContain("OutOfMemoryError");
    }
    if (allocator != null) {
      allocator.close();
    }
  }

  @Test
  void tenMillionRowsThroughFlightSql() throws Exception {
    try (FlightClient client = flightClient()) {
      CallOption auth = client.authenticateBasicToken("admin", "admin-demo").orElseThrow();
      FlightSqlClient sql = new FlightSqlClient(client);
      FlightInfo info = sql.execute(TEN_MILLION, auth);
      long rows = 0;
      try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
        while (stream.next()) {
          rows += stream.getRoot().getRowCount();
        }
      }
      assertThat(rows).isEqualTo(ROWS);
    }
    assertThat(gateway.process().isAlive()).as("gateway alive:\n%s", gateway.logTail()).isTrue();
    awaitNoActiveWarehouseConnection();
  }

  @Test
  void tenMillionRowsThroughHttp() throws Exception {
    HttpResponse<InputStream> response = post(TEN_MILLION);
    long rows = 0;
    try (InputStream in = response.body(); ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(rows).isEqualTo(ROWS);
    awaitNoActiveWarehouseConnection();
  }

  @Test
  void aFlightClientThatStopsHalfWayAndDisconnectsReleasesTheWarehouse() throws Exception {
    try (FlightClient client = flightClient()) {
      CallOption auth = client.authenticateBasicToken("admin", "admin-demo").orElseThrow();
      FlightSqlClient sql = new FlightSqlClient(client);
      FlightInfo info = sql.execute(TEN_MILLION, auth);
      FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth);
      long rows = 0;
      while (rows < ROWS / 2 && stream.next()) {
        rows += stream.getRoot().getRowCount();
      }
      assertThat(rows).isGreaterThanOrEqualTo(ROWS / 2);
      // Stops reading for a while: the gateway must hold the query, not buffer the rest.
      Thread.sleep(2_000);
      assertThat(activeWarehouseConnections()).isEqualTo(1);
      stream.cancel("the client went away", null);
      closeCanceled(stream);
    }
    awaitNoActiveWarehouseConnection();
  }

  @Test
  void anHttpClientThatStopsHalfWayAndDisconnectsReleasesTheWarehouse() throws Exception {
    HttpResponse<InputStream> response = post(TEN_MILLION);
    try (InputStream in = response.body()) {
      ArrowStreamReader reader = new ArrowStreamReader(in, allocator);
      long rows = 0;
      while (rows < ROWS / 2 && reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
      assertThat(rows).isGreaterThanOrEqualTo(ROWS / 2);
      Thread.sleep(2_000);
      assertThat(activeWarehouseConnections()).isEqualTo(1);
      // Closing the reader's buffers; closing the body drops the connection mid-stream.
      reader.getVectorSchemaRoot().close();
    }
    awaitNoActiveWarehouseConnection();
  }

  /** Frees the client's side of a canceled stream; closing it reports the cancel, which is expected. */
  private static void closeCanceled(FlightStream stream) {
    try {
      stream.close();
    } catch (Exception expected) {
      // CANCELLED: the stream ended because this client canceled it.
    }
  }

  private static FlightClient flightClient() {
    return FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", flightPort)).build();
  }

  private static HttpResponse<InputStream> post(String sql) throws IOException, InterruptedException {
    String body = "{\"sql\": \"" + sql + "\"}";
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/query"))
        .header("Authorization", basic())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  private static String basic() {
    return "Basic " + Base64.getEncoder().encodeToString("admin:admin-demo".getBytes(StandardCharsets.UTF_8));
  }

  /** The dw pool's connections in use, from the gateway's /metrics (HikariCP's tracker). */
  private static int activeWarehouseConnections() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
        .header("Authorization", basic())
        .build();
    String metrics = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    Matcher matcher = ACTIVE_DW.matcher(metrics);
    assertThat(matcher.find()).as("hikaricp_active_connections for dw in:\n%s", metrics).isTrue();
    return (int) Double.parseDouble(matcher.group(1));
  }

  private static void awaitNoActiveWarehouseConnection() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int active = activeWarehouseConnections();
    while (active != 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      active = activeWarehouseConnections();
    }
    assertThat(active).as("dw connections in use after the query ended").isZero();
  }
}
