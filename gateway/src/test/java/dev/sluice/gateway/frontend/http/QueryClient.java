package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.gateway.GatewayServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.util.Text;

/**
 * Calls {@code POST /v1/query} as an HTTP client would (java.net.http), decodes Arrow answers with
 * Arrow's own {@link ArrowStreamReader}, and puts rows in one comparable form.
 */
final class QueryClient {
  static final String ARROW = "application/vnd.apache.arrow.stream";
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  static final ObjectMapper JSON =
      new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private QueryClient() {}

  static URI uri(GatewayServer server) {
    return uri(server.httpPort());
  }

  static URI uri(int port) {
    return URI.create("http://127.0.0.1:" + port + QueryRoute.PATH);
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
  }

  /** The demo user's Basic header (passwords are {@code <user>-demo}). */
  static String basic(String user) {
    return basic(user, user + "-demo");
  }

  /** A request body: the SQL and its parameters. */
  static String body(String sql, Object... parameters) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sql", sql);
    if (parameters.length > 0) {
      body.put("parameters", Arrays.asList(parameters));
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HttpRequest.Builder request(URI uri, String user, String jsonBody) {
    return HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Authorization", basic(user))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
  }

  static HttpResponse<byte[]> post(GatewayServer server, String user, String accept, String jsonBody) {
    HttpRequest.Builder request = request(uri(server), user, jsonBody);
    if (accept != null) {
      request.header("Accept", accept);
    }
    return send(request.build());
  }

  static HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), UTF_8);
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("Not JSON: " + text(response), e);
    }
  }

  /** Every row of an Arrow IPC stream, values as {@code getObject} gives them (text as String). */
  static List<List<Object>> arrowRows(byte[] stream) {
    try (InputStream in = new ByteArrayInputStream(stream)) {
      return arrowRows(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<List<Object>> arrowRows(InputStream in) throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        for (int row = 0; row < root.getRowCount(); row++) {
          List<Object> values = new ArrayList<>();
          for (FieldVector vector : root.getFieldVectors()) {
            values.add(value(vector, row));
          }
          rows.add(values);
        }
      }
    }
    return rows;
  }

  private static Object value(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return null;
    }
    if (vector instanceof DateDayVector dates) {
      return LocalDate.ofEpochDay(dates.get(row));
    }
    Object value = vector.getObject(row);
    return value instanceof Text text ? text.toString() : value;
  }


  static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }
}
