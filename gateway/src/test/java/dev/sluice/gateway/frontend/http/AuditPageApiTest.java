package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit page's API against a gateway of its own (so its audit log holds only these tests'
 * queries): queries run by max and mia through Avatica are listed for sam by user, table, column,
 * status and time, one query shows its masks, row filters and pushdown SQL; max is refused, a
 * request without credentials is challenged, a bad filter is a 400 saying what is wrong.
 */
class AuditPageApiTest {
  static final String MAX_EMAIL = "SELECT customer_id, email FROM cdp.customers WHERE customer_id = 42";
  static final String MAX_PURCHASES = "SELECT COUNT(*) FROM cdp.purchases WHERE customer_id = 42";
  static final String MAX_REFUSED = "SELECT no_such_column FROM cdp.customers";
  static final String MIA_NAMES = "SELECT customer_id, last_name FROM cdp.customers WHERE customer_id < 100";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static GatewayServer server;
  private static Instant before;

  @BeforeAll
  static void start() throws Exception {
    server = new GatewayServer(TestingGateway.demoConfig());
    server.start();
    before = Instant.now();
    runSampleQueries(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Max's email, purchases and refused queries and mia's names query, each finished in the log. */
  static void runSampleQueries(GatewayServer gateway) throws Exception {
    query(gateway, "max", MAX_EMAIL);
    query(gateway, "max", MAX_PURCHASES);
    try {
      query(gateway, "max", MAX_REFUSED);
    } catch (SQLException expected) {
      // Refused while planning: recorded as rejected, which the status filter must find.
    }
    query(gateway, "mia", MIA_NAMES);
  }

  private static void query(GatewayServer gateway, String user, String sql) throws SQLException {
    try (Connection connection = TestingGateway.connect(gateway, "protobuf", user);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        // Read to the end, so that the query finishes as ok.
      }
    }
  }

  @Test
  void listsQueriesByUserNewestFirst() throws Exception {
    JsonNode queries = awaitQueries("user=max", list -> sqls(list).contains(MAX_EMAIL) && sqls(list).contains(MAX_REFUSED)
        && statuses(list).stream().noneMatch("started"::equals));
    // Max's refused attempts on the page itself (another test) are listed too; leave them out.
    List<JsonNode> samples = new ArrayList<>();
    queries.forEach(query -> {
      if (!query.path("sql_text").asText().contains("audit.query_log")) {
        samples.add(query);
      }
    });
    assertThat(samples).extracting(query -> query.path("sql_text").asText())
        .containsExactly(MAX_REFUSED, MAX_PURCHASES, MAX_EMAIL);
    assertThat(samples).allSatisfy(query -> assertThat(query.path("user_name").asText()).isEqualTo("max"));
    assertThat(samples.get(0).path("status").asText()).isEqualTo("rejected");
    assertThat(samples.get(1).path("tables_read").get(0).asText()).isEqualTo("cdp.purchases");
    assertThat(samples.get(2).path("status").asText()).isEqualTo("ok");
    assertThat(Instant.parse(samples.get(2).path("started_at").asText())).isAfterOrEqualTo(before.minusSeconds(1));
  }

  @Test
  void filtersByTableColumnStatusAndTime() throws Exception {
    awaitQueries("user=mia", list -> sqls(list).contains(MIA_NAMES));
    assertThat(sqls(get("sam", "/audit/api/queries?table=purchases").body)).containsExactly(MAX_PURCHASES);
    assertThat(sqls(get("sam", "/audit/api/queries?table=cdp.customers&user=mia").body)).containsExactly(MIA_NAMES);
    assertThat(sqls(get("sam", "/audit/api/queries?column=customers.email").body)).containsExactly(MAX_EMAIL);
    assertThat(sqls(get("sam", "/audit/api/queries?column=last_name").body)).containsExactly(MIA_NAMES);
    assertThat(sqls(get("sam", "/audit/api/queries?user=max&status=rejected").body)).contains(MAX_REFUSED)
        .doesNotContain(MAX_EMAIL, MAX_PURCHASES);
    assertThat(sqls(get("sam", "/audit/api/queries?user=max&since=" + encode(Instant.now().plusSeconds(60))).body))
        .isEmpty();
    assertThat(sqls(get("sam", "/audit/api/queries?user=max&until=" + encode(before.minusSeconds(60))).body))
        .isEmpty();
    assertThat(sqls(get("sam", "/audit/api/queries?user=max&since=1h&limit=1").body)).hasSize(1);
    // A name only matches whole: customers is not customers_archive, and '_' is no wildcard.
    assertThat(sqls(get("sam", "/audit/api/queries?table=custom").body)).isEmpty();
    assertThat(sqls(get("sam", "/audit/api/queries?column=last_nam_").body)).isEmpty();
  }

  @Test
  void detailShowsMasksRowFiltersAndPushdownSql() throws Exception {
    JsonNode list = awaitQueries("user=max&column=email", queries -> sqls(queries).contains(MAX_EMAIL));
    String id = list.get(0).path("query_id").asText();
    Response detail = get("sam", "/audit/api/queries/" + id);
    assertThat(detail.status).isEqualTo(200);
    assertThat(detail.body.path("query_id").asText()).isEqualTo(id);
    assertThat(detail.body.path("sql_text").asText()).isEqualTo(MAX_EMAIL);
    assertThat(detail.body.path("roles").asText()).isEqualTo("marketer");
    assertThat(detail.body.path("protocol").asText()).isEqualTo("avatica");
    assertThat(detail.body.path("rows_returned").asLong()).isEqualTo(1);
    assertThat(detail.body.path("total_ms").isNumber()).isTrue();
    // max declares no purpose and has no floor: the fields are there, empty.
    assertThat(detail.body.has("purpose")).isTrue();
    assertThat(detail.body.path("min_group_size").isNull()).isTrue();
    assertThat(detail.body.path("folded_groups").isNull()).isTrue();
    JsonNode mask = detail.body.path("masks").get(0);
    assertThat(mask.path("table").asText()).isEqualTo("cdp.customers");
    assertThat(mask.path("column").asText()).isEqualTo("email");
    assertThat(mask.path("mask").asText()).isEqualTo("hash");
    JsonNode pushdown = detail.body.path("pushdowns").get(0);
    assertThat(pushdown.path("warehouse").asText()).isEqualTo("dw");
    assertThat(pushdown.path("sql").asText()).contains("SHA256").contains("\"households\"");

    String miaId = get("sam", "/audit/api/queries?user=mia").body.path("queries").get(0).path("query_id").asText();
    JsonNode mia = get("sam", "/audit/api/queries/" + miaId).body;
    assertThat(mia.path("row_filters").get(0).path("table").asText()).isEqualTo("cdp.customers");
    assertThat(mia.path("row_filters").get(0).path("sql").asText()).contains("region").contains("EU");
  }

  @Test
  void pageReadsAreThemselvesAudited() throws Exception {
    get("sam", "/audit/api/queries?user=max&table=customers");
    JsonNode own = awaitQueries("user=sam&table=audit.query_log", list -> !list.isEmpty());
    assertThat(own.get(0).path("protocol").asText()).isEqualTo("http");
    assertThat(own.get(0).path("sql_text").asText()).contains("FROM audit.query_log").contains("user_name = ?");
  }

  @Test
  void principalsWithoutTheAuditTableAreRefused() throws Exception {
    Response refused = get("max", "/audit/api/queries?user=max");
    assertThat(refused.status).isEqualTo(403);
    assertThat(refused.body.path("error").path("code").asText()).isEqualTo("ACCESS_DENIED");
    assertThat(refused.body.has("queries")).isFalse();
    assertThat(refused.raw).doesNotContain("cdp.customers");
    String id = get("sam", "/audit/api/queries?user=max").body.path("queries").get(0).path("query_id").asText();
    Response detail = get("max", "/audit/api/queries/" + id);
    assertThat(detail.status).isEqualTo(403);
    assertThat(detail.raw).doesNotContain("SELECT");
    // The attempt is on record, for the auditors.
    JsonNode attempts = awaitQueries("user=max&status=rejected&table=audit.query_log", list -> !list.isEmpty());
    assertThat(attempts.get(0).path("error_code").asText()).isEqualTo("ACCESS_DENIED");
  }

  @Test
  void requestsWithoutCredentialsAreChallenged() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/audit/api/queries")).GET().build());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"sluice\"");
    assertThat(response.body()).doesNotContain("SELECT");
  }

  @Test
  void badFiltersAreRefusedWithTheReason() throws Exception {
    Response since = get("sam", "/audit/api/queries?since=yesterday");
    assertThat(since.status).isEqualTo(400);
    assertThat(since.body.path("error").path("message").asText()).contains("'since'").contains("yesterday");
    assertThat(get("sam", "/audit/api/queries?status=done").status).isEqualTo(400);
    assertThat(get("sam", "/audit/api/queries?table=" + encode("x' OR 1=1 --")).status).isEqualTo(400);
    assertThat(get("sam", "/audit/api/queries?limit=0").status).isEqualTo(400);
    assertThat(get("sam", "/audit/api/queries?colour=red").body.path("error").path("message").asText())
        .contains("colour");
    assertThat(get("sam", "/audit/api/queries/" + encode("not an id")).status).isEqualTo(400);
    assertThat(get("sam", "/audit/api/queries/00000000-0000-0000-0000-000000000000").status).isEqualTo(404);
  }

  @Test
  void bearerTokensFromTheTokenEndpointWork() throws Exception {
    HttpResponse<String> issued = send(HttpRequest.newBuilder(uri(AuthTokenRoute.PATH))
        .header("Authorization", basic("sam"))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build());
    String token = JSON.readTree(issued.body()).path("access_token").asText();
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/audit/api/queries?user=max"))
        .header("Authorization", "Bearer " + token)
        .GET()
        .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
  }

  @Test
  void thePageIsServedWithAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/audit/")).GET().build());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'", "script-src 'self'"));
    assertThat(page.body()).contains("<script src=\"audit.js\"").doesNotContain("<script>");
    HttpResponse<String> script = send(HttpRequest.newBuilder(uri("/audit/audit.js")).GET().build());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).doesNotContain("innerHTML");
    HttpResponse<String> redirect = send(HttpRequest.newBuilder(uri("/audit")).GET().build());
    assertThat(redirect.statusCode()).isEqualTo(308);
    assertThat(redirect.headers().firstValue("Location")).hasValue("/audit/");
  }

  private record Response(int status, JsonNode body, String raw) {}

  private static Response get(String user, String path) throws Exception {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(uri(path)).header("Authorization", basic(user)).GET().build());
    JsonNode body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    return new Response(response.statusCode(), body, response.body());
  }

  /** The queries a filter lists, once they satisfy {@code ready}: finished records are written after the client sees the end. */
  private static JsonNode awaitQueries(String filters, Predicate<JsonNode> ready) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      Response response = get("sam", "/audit/api/queries?" + filters);
      assertThat(response.status).as(response.raw).isEqualTo(200);
      JsonNode queries = response.body.path("queries");
      if (ready.test(queries) || System.nanoTime() > deadline) {
        return queries;
      }
      Thread.sleep(50);
    }
  }

  private static List<String> sqls(JsonNode queries) {
    JsonNode list = queries.has("queries") ? queries.path("queries") : queries;
    List<String> sqls = new ArrayList<>();
    list.forEach(query -> sqls.add(query.path("sql_text").asText()));
    return sqls;
  }

  private static List<String> statuses(JsonNode queries) {
    List<String> statuses = new ArrayList<>();
    queries.forEach(query -> statuses.add(query.path("status").asText()));
    return statuses;
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.httpPort() + path);
  }

  private static String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-demo").getBytes(UTF_8));
  }

  private static String encode(Object value) {
    return URLEncoder.encode(value.toString(), UTF_8);
  }
}
