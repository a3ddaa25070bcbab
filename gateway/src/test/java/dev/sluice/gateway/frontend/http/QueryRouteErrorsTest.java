package dev.sluice.gateway.frontend.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.auth.Authenticator;
import dev.sluice.gateway.auth.LoginThrottle;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.auth.TokenStore;
import dev.sluice.gateway.testing.TestingGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Everything that goes wrong before the first byte of a result is a JSON error body with the
 * gateway's error code and SQLSTATE, under a status that says whose fault it is; never a trace.
 */
class QueryRouteErrorsTest {
  private static GatewayServer server;

  @BeforeAll
  static void start() {
    server = TestingGateway.shared();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON|{\"sql\": |400|INVALID_PARAMETER|22023",
        "not an object|[\"SELECT 1\"]|400|INVALID_PARAMETER|22023",
        "missing sql|{\"parameters\": []}|400|INVALID_PARAMETER|22023",
        "blank sql|{\"sql\": \"  \"}|400|INVALID_PARAMETER|22023",
        "unknown field|{\"sql\": \"SELECT 1\", \"params\": [1]}|400|INVALID_PARAMETER|22023",
        "list parameter|{\"sql\": \"SELECT customer_id FROM cdp.customers WHERE customer_id = ?\", \"parameters\": [[1]]}|400|INVALID_PARAMETER|22023",
        "too few parameters|{\"sql\": \"SELECT customer_id FROM cdp.customers WHERE customer_id = ?\"}|400|INVALID_PARAMETER|22023",
        "parameter of the wrong type|{\"sql\": \"SELECT customer_id FROM cdp.customers WHERE customer_id = ?\", \"parameters\": [\"x\"]}|400|INVALID_PARAMETER|22023",
        "boolean that is not one|{\"sql\": \"SELECT customer_id FROM cdp.customers WHERE email_opt_in = ?\", \"parameters\": [\"yes\"]}|400|INVALID_PARAMETER|22023",
        "negative timeout|{\"sql\": \"SELECT 1\", \"timeout_ms\": -5}|400|INVALID_PARAMETER|22023",
        "syntax error|{\"sql\": \"SELEC customer_id FROM cdp.customers\"}|400|SYNTAX_ERROR|42601",
        "unknown table|{\"sql\": \"SELECT * FROM cdp.no_such_table\"}|400|UNKNOWN_OBJECT|42S02",
        "unknown column|{\"sql\": \"SELECT shoe_size FROM cdp.customers\"}|400|UNKNOWN_OBJECT|42S02",
        "not read-only|{\"sql\": \"DELETE FROM cdp.customers\"}|400|NOT_READ_ONLY|25006",
        "warehouse fails at once|{\"sql\": \"SELECT CAST(channel AS INTEGER) AS v FROM cdp.purchases\"}|502|WAREHOUSE_ERROR|58000",
      })
  void badRequestsGetTheirStatusAndSqlState(String what, String body, int status, String code, String sqlState) {
    HttpResponse<byte[]> response = QueryClient.post(server, "admin", null, body);

    assertError(response, status, code, sqlState);
  }

  @Test
  void anUnknownTableIsNamedInTheMessage() {
    HttpResponse<byte[]> response =
        QueryClient.post(server, "admin", null, QueryClient.body("SELECT * FROM cdp.no_such_table"));

    assertThat(QueryClient.text(response)).isEqualTo(
        "{\"error\":{\"code\":\"UNKNOWN_OBJECT\",\"sqlstate\":\"42S02\",\"message\":"
            + "\"From line 1, column 15 to line 1, column 31: Object 'no_such_table' not found within 'cdp'\"}}");
  }

  @Test
  void aDeniedColumnLooksLikeAnUnknownOne() {
    HttpResponse<byte[]> response =
        QueryClient.post(server, "ana", null, QueryClient.body("SELECT email FROM cdp.customers"));

    assertError(response, 400, "UNKNOWN_OBJECT", "42S02");
    assertThat(QueryClient.json(response).at("/error/message").asText()).contains("not found");
  }

  @Test
  void aTableTheUserMayNotReadLooksLikeAnUnknownOne() {
    HttpResponse<byte[]> response =
        QueryClient.post(server, "sam", null, QueryClient.body("SELECT COUNT(*) FROM cdp.customers"));

    assertError(response, 400, "UNKNOWN_OBJECT", "42S02");
  }

  @Test
  void aQueryOverItsTimeoutIsAGatewayTimeout() {
    // Seconds of DuckDB work; the timeout must land while it runs (a cancel that reaches DuckDB
    // before the statement starts is lost, so a 1 ms timeout would be a race).
    HttpResponse<byte[]> response = QueryClient.post(server, "admin", null,
        "{\"sql\": \"SELECT COUNT(*) FROM cdp.purchases a JOIN cdp.purchases b ON a.customer_id = b.customer_id"
            + " JOIN cdp.purchases c ON b.customer_id = c.customer_id\", \"timeout_ms\": 300}");

    assertError(response, 504, "QUERY_TIMEOUT", "57014");
  }

  @Test
  void wrongPasswordIs401WithBothChallenges() {
    HttpResponse<byte[]> response = QueryClient.send(
        QueryClient.request(QueryClient.uri(server), "admin", QueryClient.body("SELECT 1"))
            .setHeader("Authorization", QueryClient.basic("admin", "wrong"))
            .build());

    assertError(response, 401, "AUTHENTICATION_FAILED", "28000");
    assertThat(response.headers().allValues("WWW-Authenticate"))
        .containsExactly("Basic realm=\"sluice\"", "Bearer realm=\"sluice\"");
  }

  @Test
  void noCredentialsIs401() {
    HttpResponse<byte[]> response = QueryClient.send(HttpRequest.newBuilder(QueryClient.uri(server))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(QueryClient.body("SELECT 1")))
        .build());

    assertError(response, 401, "AUTHENTICATION_FAILED", "28000");
  }

  @Test
  void aBearerTokenWorksLikeAPassword() {
    HttpResponse<byte[]> token = QueryClient.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.httpPort() + AuthTokenRoute.PATH))
        .header("Authorization", QueryClient.basic("mia"))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build());
    String accessToken = QueryClient.json(token).get("access_token").asText();

    HttpResponse<byte[]> response = QueryClient.send(
        QueryClient.request(QueryClient.uri(server), "mia", QueryClient.body("SELECT DISTINCT region FROM cdp.customers"))
            .setHeader("Authorization", "Bearer " + accessToken)
            .header("Accept", "text/csv")
            .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(QueryClient.text(response)).isEqualTo("region\r\nEU\r\n");
  }

  @Test
  void anUnavailableFormatIs406() {
    HttpResponse<byte[]> response = QueryClient.post(server, "admin", "image/png", QueryClient.body("SELECT 1"));

    assertError(response, 406, "UNSUPPORTED", "0A000");
    assertThat(QueryClient.json(response).at("/error/message").asText())
        .contains("application/vnd.apache.arrow.stream, application/json, text/csv");
  }

  @Test
  void aBodyThatIsNotDeclaredJsonIs415() {
    HttpResponse<byte[]> response = QueryClient.send(
        QueryClient.request(QueryClient.uri(server), "admin", QueryClient.body("SELECT 1"))
            .setHeader("Content-Type", "text/plain")
            .build());

    assertError(response, 415, "UNSUPPORTED", "0A000");
  }

  @Test
  void aLockedOutCallerGets429WithRetryAfter() {
    RequestAuthenticator authenticator = new RequestAuthenticator(
        new Authenticator(server.config().users()),
        new TokenStore(Duration.ofMinutes(5), 10),
        new LoginThrottle(2, Duration.ofMinutes(1), Duration.ofMinutes(3)));
    try (QueryRoute route = new QueryRoute(server.engine(), authenticator);
        HttpServer http = new HttpServer(HttpServerConfig.defaults("127.0.0.1", 0), route.endpoints())) {
      http.start();
      HttpRequest wrong = QueryClient.request(QueryClient.uri(http.port()), "max", QueryClient.body("SELECT 1"))
          .setHeader("Authorization", QueryClient.basic("max", "guess"))
          .build();
      QueryClient.send(wrong);
      QueryClient.send(wrong);

      HttpResponse<byte[]> response = QueryClient.send(wrong);

      assertError(response, 429, "AUTHENTICATION_FAILED", "28000");
      assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
          seconds -> assertThat(Long.parseLong(seconds)).isBetween(170L, 180L));
    }
  }

  static void assertError(HttpResponse<byte[]> response, int status, String code, String sqlState) {
    String text = QueryClient.text(response);
    assertThat(response.statusCode()).as(text).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode error = QueryClient.json(response).get("error");
    assertThat(error.get("code").asText()).as(text).isEqualTo(code);
    assertThat(error.get("sqlstate").asText()).isEqualTo(sqlState);
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(List.of(QueryClient.json(response).fieldNames().next())).containsExactly("error");
    // Messages are for people: no Java frames or exception class names.
    assertThat(text).doesNotContain("\\tat ", "Exception:", "dev.sluice.");
  }
}
