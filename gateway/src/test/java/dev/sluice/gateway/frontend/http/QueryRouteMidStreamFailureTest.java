package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A query that fails after its first batches went out (DuckDB fails the cast only when it reaches
 * {@code order_id >= 3000000}, about four fifths of the way through the purchases) is cut off: every
 * client sees a transfer error, never a short result that looks whole.
 */
class QueryRouteMidStreamFailureTest {
  /** Fails in DuckDB at the first purchase with {@code order_id >= 3000000}, long after the first batch. */
  static final String FAILS_MID_STREAM =
      "SELECT CAST(CASE WHEN order_id < 3000000 THEN '1' ELSE 'x' END AS INTEGER) AS v FROM cdp.purchases";

  private static final Path CURL = Path.of("/usr/bin/curl");

  private static GatewayServer server;

  @BeforeAll
  static void start() {
    server = TestingGateway.smallBatches();
  }

  @Test
  void arrowClientGetsBatchesThenAnIoErrorNeverTheEndOfTheStream() throws Exception {
    HttpResponse<InputStream> response =
        QueryClient.HTTP.send(
            QueryClient.request(QueryClient.uri(server), "admin", QueryClient.body(FAILS_MID_STREAM)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Transfer-Encoding")).contains("chunked");

    long rows = 0;
    try (InputStream body = response.body();
        BufferAllocator allocator = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(body, allocator)) {
      IOException failure = null;
      try {
        while (reader.loadNextBatch()) {
          rows += reader.getVectorSchemaRoot().getRowCount();
        }
      } catch (IOException e) {
        failure = e;
      }
      assertThat(failure).as("reading past the error, after %s rows", rows).isNotNull();
    }
    // The first batches really went out before the failure.
    assertThat(rows).isGreaterThanOrEqualTo(TestingGateway.SMALL_ARROW_BATCH_ROWS);
    assertThat(rows).isLessThan(1_000_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "text/csv"})
  void textClientsGetAnIoErrorToo(String accept) throws Exception {
    HttpResponse<InputStream> response =
        QueryClient.HTTP.send(
            QueryClient.request(QueryClient.uri(server), "admin", QueryClient.body(FAILS_MID_STREAM))
                .header("Accept", accept)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (InputStream body = response.body()) {
      assertThatThrownBy(() -> body.transferTo(OutputStream.nullOutputStream())).isInstanceOf(IOException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {QueryClient.ARROW, "application/json", "text/csv"})
  void curlReportsAPartialTransfer(String accept) throws Exception {
    assumeThat(Files.isExecutable(CURL)).as("curl at " + CURL).isTrue();
    Process curl =
        new ProcessBuilder(
                CURL.toString(), "-sS", "--fail-with-body", "-N", "-o", "/dev/null",
                "-u", "admin:admin-demo",
                "-H", "Content-Type: application/json",
                "-H", "Accept: " + accept,
                "--data-binary", QueryClient.body(FAILS_MID_STREAM),
                QueryClient.uri(server).toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(curl.getInputStream().readAllBytes(), UTF_8);
    assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();

    // 18: "transfer closed with outstanding read data remaining"; 56: failure receiving data.
    assertThat(curl.exitValue()).as(output).isIn(18, 56);
  }

  @Test
  void aQueryFailingBeforeItsFirstBatchGetsAnErrorStatusInstead() {
    HttpResponse<byte[]> response =
        QueryClient.post(
            server, "admin", null, QueryClient.body("SELECT CAST(channel AS INTEGER) AS v FROM cdp.purchases"));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(QueryClient.json(response).at("/error/code").asText()).isEqualTo("WAREHOUSE_ERROR");
    assertThat(QueryClient.json(response).at("/error/sqlstate").asText()).isEqualTo("58000");
  }
}
