package dev.sluice.gateway.frontend.avatica;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.gateway.auth.Authenticator;
import dev.sluice.gateway.auth.LoginThrottle;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.auth.TokenStore;
import dev.sluice.gateway.frontend.http.AuthTokenRoute;
import dev.sluice.gateway.frontend.http.HttpAuthentication;
import dev.sluice.gateway.frontend.http.HttpEndpoint;
import dev.sluice.gateway.frontend.http.HttpServer;
import dev.sluice.gateway.frontend.http.HttpServerConfig;
import dev.sluice.policies.Principal;
import dev.sluice.policies.UserAccount;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.avatica.remote.LocalService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens, lockouts and what a failed login leaves behind, over real HTTP: the stock Avatica
 * driver and {@code java.net.http.HttpClient} against the Avatica and token routes.
 */
class AvaticaAuthenticationTest {
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());
  private static final String OPEN_CONNECTION = "{\"request\":\"openConnection\",\"connectionId\":\"c\"}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestingMeta meta = new TestingMeta();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private HttpServer server;

  @BeforeEach
  void startServer() {
    Authenticator authenticator =
        new Authenticator(
            List.of(
                new UserAccount("max", new UserAccount.PlainSecret("max-demo"), MAX.roles(), MAX.attributes()),
                new UserAccount("mia", new UserAccount.PlainSecret("mia-demo"), Set.of("marketer"), Map.of())));
    RequestAuthenticator requests =
        new RequestAuthenticator(
            authenticator,
            new TokenStore(Duration.ofHours(1), 100),
            new LoginThrottle(5, Duration.ofMinutes(5), Duration.ofMinutes(5)));
    List<HttpEndpoint> endpoints = new ArrayList<>();
    endpoints.add(new HttpEndpoint(HttpMethod.POST, AvaticaRoute.PATH, new AvaticaRoute(requests, new LocalService(meta))));
    endpoints.addAll(new AuthTokenRoute(new HttpAuthentication(requests)).endpoints());
    server = new HttpServer(HttpServerConfig.defaults("127.0.0.1", 0), endpoints);
    server.start();
  }

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void basicCredentialsBuyABearerTokenThatWorksUntilRevoked() throws Exception {
    HttpResponse<String> issued = send("POST", "/v1/auth/token", Optional.of(basic("max", "max-demo")), "");

    assertThat(issued.statusCode()).isEqualTo(200);
    assertThat(issued.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
    assertThat(issued.headers().firstValue("Cache-Control")).contains("no-store");
    JsonNode body = JSON.readTree(issued.body());
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
    String token = body.get("access_token").asText();
    assertThat(token).matches("[A-Za-z0-9_-]{43}");

    HttpResponse<String> avatica = send("POST", "/", Optional.of("Bearer " + token), OPEN_CONNECTION);
    assertThat(avatica.statusCode()).isEqualTo(200);
    assertThat(meta.calls()).extracting(call -> call.context().orElseThrow().principal()).containsExactly(MAX);

    assertThat(send("DELETE", "/v1/auth/token", Optional.of("Bearer " + token), "").statusCode()).isEqualTo(204);
    HttpResponse<String> afterRevoke = send("POST", "/", Optional.of("Bearer " + token), OPEN_CONNECTION);
    assertThat(afterRevoke.statusCode()).isEqualTo(401);
    assertThat(afterRevoke.headers().allValues("WWW-Authenticate"))
        .containsExactly("Basic realm=\"sluice\"", "Bearer realm=\"sluice\"");
    assertThat(send("DELETE", "/v1/auth/token", Optional.of("Bearer " + token), "").statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenCannotBuyAnotherToken() throws Exception {
    String token = token("max", "max-demo");

    assertThat(send("POST", "/v1/auth/token", Optional.of("Bearer " + token), "").statusCode()).isEqualTo(401);
    assertThat(send("POST", "/v1/auth/token", Optional.empty(), "").statusCode()).isEqualTo(401);
    assertThat(send("POST", "/v1/auth/token", Optional.of(basic("max", "nope")), "").statusCode()).isEqualTo(401);
  }

  @Test
  void theStockDriverAuthenticatesWithABearerToken() throws Exception {
    String token = token("max", "max-demo");
    List<String> rows = new ArrayList<>();
    String url =
        "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port()
            + ";serialization=protobuf;authentication=BEARER;bearer_token=" + token;
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery("SELECT id, name FROM t")) {
      while (resultSet.next()) {
        rows.add(resultSet.getInt(1) + ":" + resultSet.getString(2));
      }
    }

    assertThat(rows).containsExactly("1:alpha", "2:beta");
    assertThat(meta.calls()).extracting(call -> call.context().orElseThrow().principal()).containsOnly(MAX);
  }

  @Test
  void theStockDriverIsRefusedWithAnUnknownToken() {
    String url =
        "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port()
            + ";serialization=json;authentication=BEARER;bearer_token=" + "A".repeat(43);

    assertThatThrownBy(() -> DriverManager.getConnection(url).createStatement().executeQuery("SELECT 1"))
        .hasMessageContaining("401");
    assertThat(meta.calls()).isEmpty();
  }

  @Test
  void aUserNameIsLockedOutAfterFiveFailuresEvenWithTheRightPassword() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(send("POST", "/", Optional.of(basic("mia", "guess-" + i)), OPEN_CONNECTION).statusCode())
          .isEqualTo(401);
    }

    HttpResponse<String> locked = send("POST", "/", Optional.of(basic("mia", "mia-demo")), OPEN_CONNECTION);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).contains("300");
    assertThat(locked.body()).contains("too many failed attempts");
    assertThat(send("POST", "/v1/auth/token", Optional.of(basic("mia", "mia-demo")), "").statusCode())
        .isEqualTo(429);
    assertThat(meta.calls()).isEmpty();
  }

  @Test
  void aSuccessfulLoginResetsTheUsersFailures() throws Exception {
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 2; i++) {
        assertThat(send("POST", "/", Optional.of(basic("max", "guess")), OPEN_CONNECTION).statusCode())
            .isEqualTo(401);
      }
      assertThat(send("POST", "/", Optional.of(basic("max", "max-demo")), OPEN_CONNECTION).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void failedLoginsLeaveNoSecretInLogsOrAnswers() throws Exception {
    String password = "Pa55-" + "x".repeat(12) + "-s3cret";
    String header = basic("max", password);
    String token = token("mia", "mia-demo");
    send("DELETE", "/v1/auth/token", Optional.of("Bearer " + token), "");
    List<String> answers = new ArrayList<>();
    PrintStream standardError = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    // slf4j-simple writes every event to System.err as it is at that moment.
    System.setErr(new PrintStream(captured, true, UTF_8));
    try {
      for (int i = 0; i < 7; i++) {
        HttpResponse<String> answer = send("POST", "/", Optional.of(i % 2 == 0 ? header : "Bearer " + token), OPEN_CONNECTION);
        answers.add(answer.statusCode() + " " + answer.headers().map() + " " + answer.body());
      }
      HttpResponse<String> answer = send("POST", "/v1/auth/token", Optional.of(header), "");
      answers.add(answer.statusCode() + " " + answer.headers().map() + " " + answer.body());
    } finally {
      System.setErr(standardError);
    }
    String log = captured.toString(UTF_8);

    assertThat(answers).anySatisfy(answer -> assertThat(answer).startsWith("429"));
    assertThat(log).contains("Too many failed logins from 127.0.0.1");
    for (String secret : List.of(password, header.substring("Basic ".length()), token)) {
      assertThat(log).doesNotContain(secret);
      assertThat(answers).allSatisfy(answer -> assertThat(answer).doesNotContain(secret));
    }
  }

  private String token(String user, String password) throws Exception {
    HttpResponse<String> issued = send("POST", "/v1/auth/token", Optional.of(basic(user, password)), "");
    assertThat(issued.statusCode()).isEqualTo(200);
    return JSON.readTree(issued.body()).get("access_token").asText();
  }

  private HttpResponse<String> send(String method, String path, Optional<String> authorization, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    authorization.ifPresent(value -> request.header("Authorization", value));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
  }
}
