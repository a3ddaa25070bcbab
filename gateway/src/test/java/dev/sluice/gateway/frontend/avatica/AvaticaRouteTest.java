package dev.sluice.gateway.frontend.avatica;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.sluice.gateway.auth.Authenticator;
import dev.sluice.gateway.auth.LoginThrottle;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.auth.TokenStore;
import dev.sluice.gateway.frontend.avatica.AvaticaCallContext.CallContext;
import dev.sluice.gateway.frontend.http.HttpEndpoint;
import dev.sluice.gateway.frontend.http.HttpServer;
import dev.sluice.gateway.frontend.http.HttpServerConfig;
import dev.sluice.policies.Principal;
import dev.sluice.policies.UserAccount;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.calcite.avatica.remote.LocalService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AvaticaRouteTest {
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());
  private static final Principal MIA = new Principal("mia", Set.of("marketer"), Map.of("region", "EU"));

  private final TestingMeta meta = new TestingMeta();
  // Whether each request reaching the Avatica route carried credentials, in arrival order.
  private final List<Boolean> carriedCredentials = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void startServer() {
    Authenticator authenticator =
        new Authenticator(
            List.of(
                new UserAccount(
                    "max",
                    new UserAccount.BcryptHash(BCrypt.withDefaults().hashToString(4, "max-demo".toCharArray())),
                    MAX.roles(),
                    MAX.attributes()),
                new UserAccount("mia", new UserAccount.PlainSecret("mia-demo"), MIA.roles(), MIA.attributes())));
    AvaticaRoute avatica =
        new AvaticaRoute(
            new RequestAuthenticator(
                authenticator,
                new TokenStore(Duration.ofHours(1), 100),
                new LoginThrottle(100, Duration.ofMinutes(5), Duration.ofMinutes(5))),
            new LocalService(meta));
    server =
        new HttpServer(
            HttpServerConfig.defaults("127.0.0.1", 0),
            List.of(
                new HttpEndpoint(
                    HttpMethod.POST,
                    AvaticaRoute.PATH,
                    exchange -> {
                      carriedCredentials.add(exchange.headers().contains(HttpHeaderNames.AUTHORIZATION));
                      avatica.handle(exchange);
                    })));
    server.start();
  }

  @AfterEach
  void closeServer() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"protobuf", "json"})
  void queryReturnsTheMetasRowsAndTheMetaSeesTheCaller(String serialization) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url(serialization, "max", "max-demo"));
        Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery("SELECT id, name FROM t")) {
      while (resultSet.next()) {
        rows.add(resultSet.getInt("ID") + ":" + resultSet.getString("NAME"));
      }
    }

    assertThat(rows).containsExactly("1:alpha", "2:beta");
    assertThat(meta.calls())
        .extracting(TestingMeta.Call::method)
        .contains("openConnection", "createStatement", "prepareAndExecute");
    assertThat(meta.calls())
        .extracting(TestingMeta.Call::context)
        .containsOnly(Optional.of(new CallContext(MAX, "127.0.0.1")));
  }

  @Test
  void eachRequestCarriesItsOwnCaller() throws Exception {
    try (Connection first = DriverManager.getConnection(url("protobuf", "max", "max-demo"));
        Connection second = DriverManager.getConnection(url("json", "mia", "mia-demo"))) {
      first.createStatement().executeQuery("SELECT 1").close();
      second.createStatement().executeQuery("SELECT 1").close();
    }

    assertThat(meta.calls())
        .extracting(call -> call.context().orElseThrow().principal().user())
        .contains("max", "mia")
        .containsOnly("max", "mia");
    assertThat(AvaticaCallContext.current()).isEmpty();
  }

  @Test
  void clientSendsCredentialsOnlyAfterAChallengeThenPreemptively() throws Exception {
    try (Connection connection = DriverManager.getConnection(url("protobuf", "max", "max-demo"));
        Statement statement = connection.createStatement()) {
      statement.executeQuery("SELECT 1").close();
      statement.executeQuery("SELECT 2").close();
    }

    // httpclient5 sends credentials only in answer to a 401 challenge, then keeps the scheme in the
    // JDBC connection's HttpClientContext and sends them up front on every later request.
    assertThat(carriedCredentials.get(0)).isFalse();
    assertThat(carriedCredentials.subList(1, carriedCredentials.size())).isNotEmpty().containsOnly(true);
  }

  // The stock driver reports a refused connection as a RuntimeException, not an SQLException:
  // Driver.connect rethrows what the HTTP client threw. So these assert the message only.
  @Test
  void wrongPasswordIsRefused() {
    assertThatThrownBy(() -> DriverManager.getConnection(url("protobuf", "max", "wrong")))
        .hasMessageContaining("401");
    assertThat(meta.calls()).isEmpty();
  }

  @Test
  void unknownUserIsRefused() {
    assertThatThrownBy(() -> DriverManager.getConnection(url("json", "nobody", "max-demo")))
        .hasMessageContaining("401");
    assertThat(meta.calls()).isEmpty();
  }

  @Test
  void clientWithoutCredentialsIsRefused() {
    assertThatThrownBy(
            () -> DriverManager.getConnection("jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + ";serialization=protobuf"))
        .hasMessageContaining("401");
    assertThat(meta.calls()).isEmpty();
  }

  @Test
  void requestWithoutCredentialsGetsABasicChallenge() throws Exception {
    HttpResponse<String> response = post(Optional.empty(), "{\"request\":\"openConnection\",\"connectionId\":\"c\"}");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"sluice\"");
    assertThat(meta.calls()).isEmpty();
  }

  @Test
  void jsonRequestGetsAJsonAnswer() throws Exception {
    HttpResponse<String> response =
        post(Optional.of(basic("mia", "mia-demo")), "  \n{\"request\":\"openConnection\",\"connectionId\":\"c\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
    assertThat(response.body()).contains("\"response\":\"openConnection\"");
    assertThat(meta.calls()).containsExactly(new TestingMeta.Call("openConnection", Optional.of(new CallContext(MIA, "127.0.0.1"))));
  }

  @Test
  void unknownPathIs404() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/nope")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> post(Optional<String> authorization, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    authorization.ifPresent(value -> request.header("Authorization", value));
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String url(String serialization, String user, String password) {
    return "jdbc:avatica:remote:url=http://127.0.0.1:"
        + server.port()
        + ";serialization="
        + serialization
        + ";authentication=BASIC;avatica_user="
        + user
        + ";avatica_password="
        + password;
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
  }
}
