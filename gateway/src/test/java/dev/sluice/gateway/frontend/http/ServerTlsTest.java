package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.testing.TestingCertificates;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
  @TempDir static Path directory;
  private static TestingCertificates certificates;

  private HttpServer server;

  @BeforeAll
  static void generateCertificate() throws Exception {
    certificates = TestingCertificates.generate(directory.resolve("tls"));
  }

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void servesHttpsWithAPkcs8Key() throws Exception {
    start(ServerTls.forServer(certificates.certificate(), certificates.privateKey(), "listeners.http.tls"));

    HttpResponse<String> response = httpsClient().send(get("https"), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello\n");
  }

  @Test
  void servesHttpsWithAPkcs1RsaKey() throws Exception {
    assertThat(Files.readString(certificates.rsaPrivateKey())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    start(ServerTls.forServer(certificates.certificate(), certificates.rsaPrivateKey(), "listeners.http.tls"));

    assertThat(httpsClient().send(get("https"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
  }

  @Test
  void aPlainHttpRequestIsAnsweredWith400AndNeverServed() throws Exception {
    start(ServerTls.forServer(certificates.certificate(), certificates.privateKey(), "listeners.http.tls"));

    HttpResponse<String> plain = HttpClient.newHttpClient().send(get("http"), HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(plain.body()).contains("only speaks HTTPS").doesNotContain("hello");
    // Byte for byte: one fixed answer, then the server closes the connection.
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(
          "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(US_ASCII));
      socket.getOutputStream().flush();
      String answer = readToEnd(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").doesNotContain("hello");
      assertThat(answer.split("HTTP/1.1", -1)).hasSize(2);
    }
  }

  @Test
  void refusesTlsBelow1_2() throws Exception {
    start(ServerTls.forServer(certificates.certificate(), certificates.privateKey(), "listeners.http.tls"));
    SSLContext context = certificates.clientContext();

    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {"TLSv1.1"});
      socket.setSSLParameters(parameters);
      // The JDK client may itself refuse to offer TLS 1.1 (disabled by default); either way there
      // is no TLS 1.1 session.
      assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
    }
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {"TLSv1.2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() throws Exception {
    start(ServerTls.forServer(certificates.certificate(), certificates.privateKey(), "listeners.http.tls"));

    assertThatThrownBy(() -> HttpClient.newHttpClient().send(get("https"), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void reportsUnusableFilesWithTheirConfigurationKey() throws Exception {
    Path garbage = Files.writeString(directory.resolve("garbage.pem"), "not a pem file");
    TestingCertificates other = TestingCertificates.generate(directory.resolve("other"));

    assertThatThrownBy(() -> ServerTls.forServer(garbage, certificates.privateKey(), "listeners.http.tls"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
        .hasMessageContaining("listeners.http.tls.certificate")
        .hasMessageContaining("no PEM CERTIFICATE block");
    assertThatThrownBy(() -> ServerTls.forServer(certificates.certificate(), garbage, "listeners.http.tls"))
        .hasMessageContaining("listeners.http.tls.private_key")
        .hasMessageContaining("no PEM PRIVATE KEY");
    assertThatThrownBy(() -> ServerTls.forServer(certificates.certificate(), other.privateKey(), "listeners.http.tls"))
        .hasMessageContaining("listeners.http.tls.private_key")
        .hasMessageContaining("does not belong to the certificate");
  }

  @Test
  void wrapsPkcs1AsPkcs8() {
    byte[] pkcs1 = new byte[300];
    byte[] pkcs8 = PemFiles.wrapPkcs1(pkcs1);

    // SEQUENCE (long form, 2 length bytes) { INTEGER 0, rsaEncryption, OCTET STRING (long form) }
    assertThat(pkcs8.length).isEqualTo(4 + 3 + 15 + 4 + 300);
    assertThat(pkcs8[0]).isEqualTo((byte) 0x30);
    assertThat(((pkcs8[2] & 0xff) << 8) | (pkcs8[3] & 0xff)).isEqualTo(pkcs8.length - 4);
  }

  private void start(SslContext tls) {
    server =
        new HttpServer(
            HttpServerConfig.defaults("127.0.0.1", 0),
            List.of(new HttpEndpoint(HttpMethod.GET, "/hello", exchange -> exchange.respondText(HttpResponseStatus.OK, "hello"))),
            Optional.of(tls));
    server.start();
  }

  private HttpClient httpsClient() throws Exception {
    return HttpClient.newBuilder().sslContext(certificates.clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private HttpRequest get(String scheme) {
    return HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + server.port() + "/hello"))
        .timeout(Duration.ofSeconds(10))
        .GET()
        .build();
  }

  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      in.transferTo(bytes);
    } catch (IOException e) {
      // A reset instead of an orderly close is just as much a refusal.
    }
    return bytes.toString(US_ASCII);
  }
}
