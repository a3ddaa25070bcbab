package dev.sluice.gateway.frontend.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON and CSV formats, byte for byte; parameters; and which format {@code Accept} picks. */
class QueryRouteFormatsTest {
  /**
   * Demo customers 4, 7 and 9 (the demo data is deterministic): a decimal with a trailing zero,
   * timestamps without and with microseconds (one with leading zeros), dates, booleans; then NULL,
   * the empty string and a string that needs quoting.
   */
  private static final String TYPES =
      "SELECT customer_id, lifetime_value, signup_at, birth_date, email_opt_in,"
          + " CAST(NULL AS VARCHAR) AS nothing, '' AS blank, 'say \"hi\", bye' AS note"
          + " FROM cdp.customers WHERE customer_id IN (4, 7, 9) ORDER BY customer_id";

  private static GatewayServer server;

  @BeforeAll
  static void start() {
    server = TestingGateway.shared();
  }

  @Test
  void jsonIsStreamedWithColumnsRowsAndCount() {
    HttpResponse<byte[]> response = QueryClient.post(server, "admin", "application/json", QueryClient.body(TYPES));

    assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.headers().firstValue("Transfer-Encoding")).contains("chunked");
    assertThat(QueryClient.text(response)).isEqualTo(
        "{\"columns\":["
            + "{\"name\":\"customer_id\",\"type\":\"BIGINT\",\"nullable\":true},"
            + "{\"name\":\"lifetime_value\",\"type\":\"DECIMAL(12, 2)\",\"nullable\":true},"
            + "{\"name\":\"signup_at\",\"type\":\"TIMESTAMP\",\"nullable\":true},"
            + "{\"name\":\"birth_date\",\"type\":\"DATE\",\"nullable\":true},"
            + "{\"name\":\"email_opt_in\",\"type\":\"BOOLEAN\",\"nullable\":true},"
            + "{\"name\":\"nothing\",\"type\":\"VARCHAR\",\"nullable\":true},"
            + "{\"name\":\"blank\",\"type\":\"CHAR\",\"nullable\":false},"
            + "{\"name\":\"note\",\"type\":\"CHAR\",\"nullable\":false}],"
            + "\"rows\":["
            + "[4,117.80,\"2022-05-31T13:15:44.000000\",\"1999-01-15\",false,null,\"\",\"say \\\"hi\\\", bye\"],"
            + "[7,1212.34,\"2024-08-21T00:39:33.656027\",\"2000-11-22\",true,null,\"\",\"say \\\"hi\\\", bye\"],"
            + "[9,101.84,\"2020-06-07T02:37:00.012302\",\"1994-11-13\",false,null,\"\",\"say \\\"hi\\\", bye\"]],"
            + "\"row_count\":3}");
  }

  @Test
  void csvFollowsRfc4180WithAHeaderRow() {
    HttpResponse<byte[]> response = QueryClient.post(server, "admin", "text/csv", QueryClient.body(TYPES));

    assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8; header=present");
    assertThat(QueryClient.text(response)).isEqualTo(
        "customer_id,lifetime_value,signup_at,birth_date,email_opt_in,nothing,blank,note\r\n"
            + "4,117.80,2022-05-31T13:15:44.000000,1999-01-15,false,,\"\",\"say \"\"hi\"\", bye\"\r\n"
            + "7,1212.34,2024-08-21T00:39:33.656027,2000-11-22,true,,\"\",\"say \"\"hi\"\", bye\"\r\n"
            + "9,101.84,2020-06-07T02:37:00.012302,1994-11-13,false,,\"\",\"say \"\"hi\"\", bye\"\r\n");
  }

  @Test
  void jsonKeepsTheMicrosecondsAndDecimalsOfRealRows() {
    String sql = "SELECT customer_id, signup_at, lifetime_value, birth_date, email_opt_in FROM cdp.customers"
        + " WHERE customer_id < 300 ORDER BY customer_id";
    List<List<Object>> arrow =
        QueryClient.arrowRows(QueryClient.post(server, "admin", QueryClient.ARROW, QueryClient.body(sql)).body());
    JsonNode json = QueryClient.json(QueryClient.post(server, "admin", "application/json", QueryClient.body(sql)));

    assertThat(json.get("row_count").asLong()).isEqualTo(arrow.size()).isGreaterThan(250);
    long withMicros = 0;
    for (int i = 0; i < arrow.size(); i++) {
      List<Object> expected = arrow.get(i);
      JsonNode row = json.get("rows").get(i);
      assertThat(row.get(0).asLong()).isEqualTo(expected.get(0));
      LocalDateTime signup = (LocalDateTime) expected.get(1);
      assertThat(row.get(1).asText()).isEqualTo(String.format("%sT%02d:%02d:%02d.%06d",
          signup.toLocalDate(), signup.getHour(), signup.getMinute(), signup.getSecond(), signup.getNano() / 1000));
      withMicros += signup.getNano() % 1_000_000 != 0 ? 1 : 0;
      assertThat(row.get(2).isNumber()).isTrue();
      assertThat(row.get(2).decimalValue()).isEqualByComparingTo((BigDecimal) expected.get(2));
      assertThat(row.get(3).asText()).isEqualTo(((LocalDate) expected.get(3)).toString());
      assertThat(row.get(4).isBoolean()).isTrue();
      assertThat(row.get(4).asBoolean()).isEqualTo(expected.get(4));
    }
    assertThat(withMicros).as("signups with a microsecond part").isPositive();
  }

  @Test
  void emptyResultsAreWholeAnswersInEveryFormat() {
    String sql = "SELECT customer_id, email FROM cdp.customers WHERE customer_id < 0";

    assertThat(QueryClient.arrowRows(QueryClient.post(server, "admin", null, QueryClient.body(sql)).body())).isEmpty();
    assertThat(QueryClient.text(QueryClient.post(server, "admin", "application/json", QueryClient.body(sql))))
        .endsWith("\"rows\":[],\"row_count\":0}");
    assertThat(QueryClient.text(QueryClient.post(server, "admin", "text/csv", QueryClient.body(sql))))
        .isEqualTo("customer_id,email\r\n");
  }

  @Test
  void parametersTakeTheTypesOfTheirPlaceholders() throws Exception {
    String sql = "SELECT COUNT(*) AS n FROM cdp.purchases"
        + " WHERE customer_id < ? AND purchased_at >= ? AND amount > ? AND channel <> ?";
    HttpResponse<byte[]> response = QueryClient.post(
        server, "admin", "application/json", QueryClient.body(sql, 5000, "2025-06-01 00:00:00", 10.5, "web"));

    assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
    List<List<Object>> viaAvatica = TestingGateway.rows(server, "protobuf", "admin", sql,
        5000L, Timestamp.valueOf("2025-06-01 00:00:00"), new BigDecimal("10.5"), "web");
    assertThat(QueryClient.json(response).at("/rows/0/0").asLong())
        .isEqualTo(((Number) viaAvatica.get(0).get(0)).longValue())
        .isPositive();
  }

  @Test
  void booleanAndDateParameters() throws Exception {
    String sql = "SELECT COUNT(*) AS n FROM cdp.customers WHERE email_opt_in = ? AND birth_date < ?";
    HttpResponse<byte[]> response =
        QueryClient.post(server, "admin", "text/csv", QueryClient.body(sql, true, "1980-01-01"));

    List<List<Object>> viaAvatica = TestingGateway.rows(
        server, "protobuf", "admin", sql, true, java.sql.Date.valueOf("1980-01-01"));
    assertThat(QueryClient.text(response)).isEqualTo("n\r\n" + viaAvatica.get(0).get(0) + "\r\n");
  }

  @ParameterizedTest(name = "Accept: {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|ARROW",
        "*/*|ARROW",
        "application/vnd.apache.arrow.stream|ARROW",
        "application/*|ARROW",
        "application/json|JSON",
        "text/csv|CSV",
        "text/*|CSV",
        "text/csv;q=0.5, application/json;q=0.9|JSON",
        "application/json;q=0.5, text/csv|CSV",
        "*/*;q=0.1, text/csv;q=0.2|CSV",
        "application/*;q=0, */*|CSV",
        "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8|ARROW",
        "image/png|NONE",
        "application/json;q=0|NONE",
      })
  void acceptPicksTheFormat(String accept, String expected) {
    Optional<ResultFormat> format = ResultFormat.negotiate(Optional.of(accept));
    assertThat(format.map(ResultFormat::name).orElse("NONE")).isEqualTo(expected);
  }

  @Test
  void noAcceptHeaderMeansArrow() {
    HttpResponse<byte[]> response =
        QueryClient.post(server, "max", null, QueryClient.body("SELECT COUNT(*) AS n FROM cdp.customers"));

    assertThat(response.headers().firstValue("Content-Type")).contains(QueryClient.ARROW);
    assertThat(QueryClient.arrowRows(response.body())).containsExactly(List.of(TestingGateway.CUSTOMERS));
  }
}
