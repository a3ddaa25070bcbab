package dev.sluice.gateway.frontend.avatica;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.ListenersConfig;
import dev.sluice.gateway.config.TlsConfig;
import dev.sluice.gateway.testing.TestingCertificates;
import dev.sluice.gateway.testing.TestingGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole gateway with {@code listeners.http.tls}, used by the stock Avatica driver over https. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AvaticaTlsEndToEndTest {
  @TempDir static Path directory;
  private static TestingCertificates certificates;
  private static GatewayServer server;

  @BeforeAll
  static void startGateway() throws Exception {
    certificates = TestingCertificates.generate(directory);
    server =
        new GatewayServer(
            TestingGateway.demoConfig(
                config ->
                    config.withListeners(
                        new ListenersConfig(
                            new HttpListenerConfig("127.0.0.1", 0)
                                .withTls(new TlsConfig(certificates.certificate(), certificates.privateKey()))))));
    server.start();
  }

  @AfterAll
  static void closeGateway() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theStockDriverQueriesOverHttpsWithBasic() throws Exception {
    String url =
        "jdbc:avatica:remote:url=https://127.0.0.1:" + server.httpPort()
            + ";serialization=protobuf;authentication=BASIC;avatica_user=admin;avatica_password=admin-demo"
            + certificates.avaticaTrustProperties();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT customer_id FROM cdp.customers WHERE customer_id = 42")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(42L);
    }
  }

  @Test
  void theStockDriverQueriesOverHttpsWithABearerToken() throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(certificates.clientContext()).build();
    HttpResponse<String> issued =
        http.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.httpPort() + "/v1/auth/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("mia:mia-demo".getBytes(UTF_8)))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(issued.statusCode()).isEqualTo(200);
    String token = new ObjectMapper().readTree(issued.body()).get("access_token").asText();

    String url =
        "jdbc:avatica:remote:url=https://127.0.0.1:" + server.httpPort()
            + ";serialization=json;authentication=BEARER;bearer_token=" + token
            + certificates.avaticaTrustProperties();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(
            "SELECT COUNT(*), COUNT(CASE WHEN region <> 'EU' THEN 1 END) FROM cdp.customers")) {
      // The token carries mia's principal, row filter included: only EU customers.
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isPositive().isLessThan(TestingGateway.CUSTOMERS);
      assertThat(rs.getLong(2)).isZero();
    }
  }

  @Test
  void plainHttpToTheTlsPortIsRefused() throws Exception {
    String url =
        "jdbc:avatica:remote:url=http://127.0.0.1:" + server.httpPort()
            + ";serialization=protobuf;authentication=BASIC;avatica_user=admin;avatica_password=admin-demo";
    // Without the 400 the driver would retry forever: it treats "no response" as a dead backend.
    assertThatThrownBy(() -> DriverManager.getConnection(url).createStatement().executeQuery("SELECT 1"))
        .hasMessageContaining("HTTP/400");

    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout(10_000);
      byte[] request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}".getBytes(US_ASCII);
      socket.getOutputStream().write(request);
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        socket.getInputStream().transferTo(answer);
      } catch (IOException e) {
        // A reset is as good a refusal as a close.
      }
      assertThat(answer.toString(US_ASCII))
          .startsWith("HTTP/1.1 400 Bad Request")
          .contains("only speaks HTTPS")
          .doesNotContain("avatica", "response");
    }
  }

  @Test
  void withoutTheTruststoreTheDriverDoesNotConnect() {
    String url =
        "jdbc:avatica:remote:url=https://127.0.0.1:" + server.httpPort()
            + ";serialization=protobuf;authentication=BASIC;avatica_user=admin;avatica_password=admin-demo";
    assertThatThrownBy(() -> DriverManager.getConnection(url).createStatement().executeQuery("SELECT 1"))
        .hasStackTraceContaining("SSLHandshakeException");
  }
}
