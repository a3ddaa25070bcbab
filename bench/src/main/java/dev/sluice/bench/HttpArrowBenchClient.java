package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

/** A client of the gateway's Arrow IPC over HTTP endpoint, decoding the stream into vectors. */
final class HttpArrowBenchClient implements BenchClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BufferAllocator allocator;
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI uri;
  private final String authorization;
  private final String pointSql;

  HttpArrowBenchClient(BufferAllocator parent, int port, String user, String password, String pointSql) {
    this.allocator = parent.newChildAllocator("http-client", 0, Long.MAX_VALUE);
    this.uri = URI.create("http://127.0.0.1:" + port + "/v1/query");
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.pointSql = pointSql;
  }

  @Override
  public long run(String sql, List<Object> params, LongConsumer firstRow) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sql", sql);
    body.put("parameters", params);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .header("Accept", "application/vnd.apache.arrow.stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
        .build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + response.statusCode() + ": "
            + new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      long rows = 0;
      try (ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
        while (reader.loadNextBatch()) {
          int count = reader.getVectorSchemaRoot().getRowCount();
          if (rows == 0 && count > 0) {
            firstRow.accept(System.nanoTime());
          }
          rows += count;
        }
      }
      return rows;
    }
  }

  @Override
  public long point(long customerId) throws Exception {
    return run(pointSql, List.of(customerId), at -> {});
  }

  @Override
  public void close() {
    allocator.close();
  }
}
