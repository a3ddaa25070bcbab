package dev.sluice.gateway.frontend.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.CorsConfig;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.testing.TestingGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code listeners.http.cors}, the CDP UI's origin may call {@code /v1/query} and {@code
 * /v1/auth/token} from a browser: preflights are answered and answers carry the CORS headers;
 * other origins get neither. Without it, there is no CORS at all.
 */
class QueryRouteCorsTest {
  private static final String UI = "https://cdp.example.com";
  private static final String OTHER = "https://evil.example.net";

  private static GatewayServer server;

  @BeforeAll
  static void start() {
    GatewayConfig config = TestingGateway.demoConfig(demo -> demo.withListeners(
        new dev.sluice.gateway.config.ListenersConfig(
            demo.listeners().http().withCors(new CorsConfig(List.of(UI), Duration.ofMinutes(5))))));
    server = new GatewayServer(config);
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void preflightFromTheUiIsAllowed() {
    HttpResponse<byte[]> response = preflight(server, QueryRoute.PATH, UI);

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).contains("POST, OPTIONS");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
        .contains("Authorization, Content-Type, Accept");
    assertThat(response.headers().firstValue("Access-Control-Max-Age")).contains("300");
    assertThat(response.headers().firstValue("Vary")).hasValueSatisfying(vary -> assertThat(vary).contains("Origin"));
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
  }

  @Test
  void preflightForTheTokenEndpointListsItsMethods() {
    HttpResponse<byte[]> response = preflight(server, AuthTokenRoute.PATH, UI);

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).contains("DELETE, POST, OPTIONS");
  }

  @Test
  void preflightFromAnotherOriginIsRefused() {
    HttpResponse<byte[]> response = preflight(server, QueryRoute.PATH, OTHER);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(QueryClient.json(response).at("/error/code").asText()).isEqualTo("ACCESS_DENIED");
  }

  @Test
  void answersToTheUiCarryTheHeadersErrorsToo() {
    HttpResponse<byte[]> ok = query(server, UI, "mia");
    HttpResponse<byte[]> refused = QueryClient.send(
        QueryClient.request(QueryClient.uri(server), "mia", QueryClient.body("SELECT 1"))
            .setHeader("Authorization", QueryClient.basic("mia", "wrong"))
            .header("Origin", UI)
            .build());

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(refused.statusCode()).isEqualTo(401);
    for (HttpResponse<byte[]> response : List.of(ok, refused)) {
      assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
      assertThat(response.headers().firstValue("Vary")).contains("Origin");
      assertThat(response.headers().firstValue("Access-Control-Expose-Headers"))
          .contains("Retry-After, WWW-Authenticate, X-Sluice-Query-Id");
    }
  }

  @Test
  void answersToAnotherOriginCarryNoCorsHeaders() {
    HttpResponse<byte[]> response = query(server, OTHER, "mia");

    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(response.headers().firstValue("Access-Control-Expose-Headers")).isEmpty();
  }

  @Test
  void withoutCorsConfiguredThereIsNoPreflightAndNoHeaders() {
    GatewayServer plain = TestingGateway.shared();

    HttpResponse<byte[]> preflight = preflight(plain, QueryRoute.PATH, UI);
    HttpResponse<byte[]> response = query(plain, UI, "max");

    assertThat(preflight.statusCode()).isEqualTo(405);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(response.headers().firstValue("Vary")).isEmpty();
  }

  private static HttpResponse<byte[]> preflight(GatewayServer target, String path, String origin) {
    return QueryClient.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.httpPort() + path))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type")
        .build());
  }

  private static HttpResponse<byte[]> query(GatewayServer target, String origin, String user) {
    return QueryClient.send(
        QueryClient.request(QueryClient.uri(target), user, QueryClient.body("SELECT COUNT(*) AS n FROM cdp.customers"))
            .header("Origin", origin)
            .build());
  }
}
