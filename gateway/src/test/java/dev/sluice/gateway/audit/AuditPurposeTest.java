package dev.sluice.gateway.audit;

import static dev.sluice.gateway.audit.AuditTesting.awaitRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.HeaderCallOption;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The purpose a caller declares is in its audit records (started, and rejected when refused), over
 * Avatica, Flight SQL and HTTP, and in {@code audit.query_log.purpose} for the auditor.
 */
class AuditPurposeTest {
  private static GatewayServer server;
  private static Path audit;

  @BeforeAll
  static void start() {
    server = new GatewayServer(TestingGateway.demoConfig());
    server.start();
    audit = server.config().audit().directory();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void avaticaQueriesCarryThePurposeAndRefusalsAreRejectedWhilePlanning() throws Exception {
    String sql = "SELECT COUNT(*) FROM cdp.customers /* avatica email_marketing */";
    assertThat(avatica("email_marketing", sql)).isPositive();
    JsonNode started = awaitRecord(audit, r -> type(r, "started") && r.path("sql").asText().equals(sql));
    assertThat(started.path("user").asText()).isEqualTo("act");
    assertThat(started.path("purpose").asText()).isEqualTo("email_marketing");
    assertThat(started.path("protocol").asText()).isEqualTo("avatica");
    awaitRecord(audit, r -> type(r, "finished") && r.path("query_id").asText().equals(started.path("query_id").asText()));

    String missing = "SELECT COUNT(*) FROM cdp.customers /* avatica no purpose */";
    assertThatThrownBy(() -> avatica(null, missing)).isInstanceOf(SQLException.class);
    JsonNode refused = awaitRecord(audit, r -> type(r, "rejected") && r.path("sql").asText().equals(missing));
    assertThat(refused.path("stage").asText()).isEqualTo("planning");
    assertThat(refused.path("purpose").isNull()).isTrue();
    assertThat(refused.path("error").path("code").asText()).isEqualTo("ACCESS_DENIED");
    assertThat(refused.path("error").path("sql_state").asText()).isEqualTo("42501");
    assertThat(refused.path("error").path("message").asText()).contains("User act must declare a purpose");

    String bogus = "SELECT COUNT(*) FROM cdp.customers /* avatica bogus */";
    assertThatThrownBy(() -> avatica("bogus", bogus)).isInstanceOf(SQLException.class);
    JsonNode disallowed = awaitRecord(audit, r -> type(r, "rejected") && r.path("sql").asText().equals(bogus));
    assertThat(disallowed.path("purpose").asText()).isEqualTo("bogus");
    assertThat(disallowed.path("error").path("message").asText())
        .isEqualTo("Purpose 'bogus' is not allowed for user act; allowed purposes: email_marketing, paid_media");
  }

  @Test
  void flightSqlCallsCarryThePurposeHeader() throws Exception {
    String sql = "SELECT COUNT(*) FROM cdp.customers /* flight paid_media */";
    try (BufferAllocator allocator = new RootAllocator();
        FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", server.flightPort())).build()) {
      CallOption auth = client.authenticateBasicToken("act", "act-demo").orElseThrow();
      FlightSqlClient flight = new FlightSqlClient(client);
      CallOption paidMedia = purposeHeader("paid_media");
      FlightInfo info = flight.execute(sql, auth, paidMedia);
      long count;
      try (FlightStream stream = flight.getStream(info.getEndpoints().get(0).getTicket(), auth, paidMedia)) {
        assertThat(stream.next()).isTrue();
        count = ((Number) stream.getRoot().getVector(0).getObject(0)).longValue();
      }
      assertThat(count).isPositive();
      // The ticket belongs to the purpose it was planned for: without it, it does not exist.
      FlightInfo another = flight.execute(sql, auth, paidMedia);
      assertThatThrownBy(() -> {
        try (FlightStream stream = flight.getStream(another.getEndpoints().get(0).getTicket(), auth)) {
          stream.next();
        }
      }).isInstanceOfSatisfying(FlightRuntimeException.class,
          e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND));
      assertThatThrownBy(() -> flight.execute(sql, auth, purposeHeader("analytics")))
          .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
            assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHORIZED);
            assertThat(e.status().description()).isEqualTo(
                "[42501] Purpose 'analytics' is not allowed for user act; allowed purposes: email_marketing, paid_media");
          });
    }
    JsonNode started = awaitRecord(audit, r -> type(r, "started") && r.path("sql").asText().equals(sql));
    assertThat(started.path("purpose").asText()).isEqualTo("paid_media");
    assertThat(started.path("protocol").asText()).isEqualTo("flight_sql");
    JsonNode refused = awaitRecord(audit, r -> type(r, "rejected") && r.path("sql").asText().equals(sql));
    assertThat(refused.path("purpose").asText()).isEqualTo("analytics");
  }

  @Test
  void httpRequestsCarryThePurposeField() throws Exception {
    String sql = "SELECT COUNT(*) AS n FROM cdp.customers WHERE NOT email_opt_in /* http email_marketing */";
    HttpResponse<String> ok = http("{\"sql\": \"" + sql + "\", \"purpose\": \"email_marketing\"}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(ok.body()).toString()).contains("0");
    JsonNode started = awaitRecord(audit, r -> type(r, "started") && r.path("sql").asText().equals(sql));
    assertThat(started.path("purpose").asText()).isEqualTo("email_marketing");
    assertThat(started.path("protocol").asText()).isEqualTo("http");

    HttpResponse<String> refused = http("{\"sql\": \"SELECT 1\"}");
    assertThat(refused.statusCode()).isEqualTo(403);
    JsonNode error = new ObjectMapper().readTree(refused.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("ACCESS_DENIED");
    assertThat(error.path("sqlstate").asText()).isEqualTo("42501");
    assertThat(error.path("message").asText()).startsWith("User act must declare a purpose (allowed: email_marketing, paid_media)");

    HttpResponse<String> notText = http("{\"sql\": \"SELECT 1\", \"purpose\": 7}");
    assertThat(notText.statusCode()).isEqualTo(400);
    assertThat(notText.body()).contains("\\\"purpose\\\" must be a string");
  }

  @Test
  void refusedMetadataCallsAreRejectedAtStageMetadata() throws Exception {
    Properties bogus = new Properties();
    bogus.setProperty("purpose", "bogus-metadata");
    try (Connection connection =
            DriverManager.getConnection(TestingGateway.url(server, "protobuf", "act", "act-demo"), bogus)) {
      // The stock driver raises metadata errors unchecked.
      assertThatThrownBy(() -> connection.getMetaData().getColumns(null, "cdp", "customers", "%").close())
          .hasMessageContaining("Purpose 'bogus-metadata' is not allowed for user act");
    }
    JsonNode avatica = awaitRecord(audit,
        r -> type(r, "rejected") && r.path("purpose").asText().equals("bogus-metadata"));
    assertThat(avatica.path("stage").asText()).isEqualTo("metadata");
    assertThat(avatica.path("sql").asText()).isEqualTo("metadata: getColumns");
    assertThat(avatica.path("user").asText()).isEqualTo("act");
    assertThat(avatica.path("protocol").asText()).isEqualTo("avatica");
    assertThat(avatica.path("error").path("sql_state").asText()).isEqualTo("42501");

    try (BufferAllocator allocator = new RootAllocator();
        FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", server.flightPort())).build()) {
      CallOption auth = client.authenticateBasicToken("act", "act-demo").orElseThrow();
      FlightSqlClient flight = new FlightSqlClient(client);
      FlightInfo info = flight.getTables(null, null, null, null, false, auth);
      assertThatThrownBy(() -> {
        try (FlightStream stream = flight.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
          stream.next();
        }
      }).isInstanceOfSatisfying(FlightRuntimeException.class,
          e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHORIZED));
    }
    JsonNode flight = awaitRecord(audit, r -> type(r, "rejected") && r.path("stage").asText().equals("metadata")
        && r.path("protocol").asText().equals("flight_sql"));
    assertThat(flight.path("sql").asText()).isEqualTo("metadata: GetTables");
    assertThat(flight.path("user").asText()).isEqualTo("act");
    assertThat(flight.path("purpose").isNull()).isTrue();
    assertThat(flight.path("error").path("message").asText()).contains("User act must declare a purpose");
  }

  @Test
  void theAuditorSeesThePurposeInTheQueryLog() throws Exception {
    String sql = "SELECT COUNT(*) FROM cdp.purchases /* for the auditor */";
    assertThat(avatica("paid_media", sql)).isPositive();
    awaitRecord(audit, r -> type(r, "finished"));
    Map<String, String> purposeByStatus = new LinkedHashMap<>();
    try (Connection connection = TestingGateway.connect(server, "protobuf", "sam");
        PreparedStatement statement = connection.prepareStatement(
            "SELECT status, purpose FROM audit.query_log WHERE sql_text = ? ORDER BY seq")) {
      statement.setString(1, sql);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          purposeByStatus.put(rs.getString("status"), rs.getString("purpose"));
        }
      }
    }
    assertThat(purposeByStatus).containsExactly(Map.entry("ok", "paid_media"));
  }

  private static long avatica(String purpose, String sql) throws SQLException {
    Properties properties = new Properties();
    if (purpose != null) {
      properties.setProperty("purpose", purpose);
    }
    try (Connection connection =
            DriverManager.getConnection(TestingGateway.url(server, "protobuf", "act", "act-demo"), properties);
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rs = statement.executeQuery()) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  private static CallOption purposeHeader(String purpose) {
    FlightCallHeaders headers = new FlightCallHeaders();
    headers.insert("x-sluice-purpose", purpose);
    return new HeaderCallOption(headers);
  }

  private static HttpResponse<String> http(String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/v1/query"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("act:act-demo".getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static boolean type(JsonNode record, String type) {
    return record.path("type").asText().equals(type);
  }
}
