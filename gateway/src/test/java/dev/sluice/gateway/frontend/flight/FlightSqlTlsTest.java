package dev.sluice.gateway.frontend.flight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.FlightListenerConfig;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.ListenersConfig;
import dev.sluice.gateway.config.TlsConfig;
import dev.sluice.gateway.testing.TestingCertificates;
import dev.sluice.gateway.testing.TestingGateway;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code listeners.flight.tls}: the same PEM files as the HTTP listener (here the PKCS#1 key,
 * which gRPC cannot read itself), used by FlightSqlClient and the Flight SQL JDBC driver over TLS.
 */
@Timeout(120)
class FlightSqlTlsTest {
  @TempDir static Path directory;
  private static TestingCertificates certificates;
  private static GatewayServer server;

  @BeforeAll
  static void startGateway() throws Exception {
    certificates = TestingCertificates.generate(directory.resolve("server"));
    server = new GatewayServer(TestingGateway.demoConfig(config -> config.withListeners(new ListenersConfig(
        new HttpListenerConfig("127.0.0.1", 0),
        new FlightListenerConfig("127.0.0.1", 0)
            .withTls(new TlsConfig(certificates.certificate(), certificates.rsaPrivateKey()))))));
    server.start();
  }

  @AfterAll
  static void closeGateway() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void flightSqlClientQueriesOverTls() throws Exception {
    try (InputStream trusted = Files.newInputStream(certificates.certificate());
        FlightTestClient client = FlightTestClient.connect(
            FlightClient.builder().location(Location.forGrpcTls("127.0.0.1", server.flightPort())).trustedCertificates(trusted),
            "admin", "admin-demo")) {
      assertThat(client.query("SELECT customer_id FROM cdp.customers WHERE customer_id = 42"))
          .containsExactly(List.of(42L));
    }
  }

  @Test
  void theJdbcDriverQueriesOverTlsWithATruststore() throws Exception {
    String url = "jdbc:arrow-flight-sql://127.0.0.1:" + server.flightPort()
        + "?useEncryption=true&useSystemTrustStore=false&user=mia&password=mia-demo"
        + "&trustStore=" + certificates.truststore() + "&trustStorePassword=" + certificates.truststorePassword();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT COUNT(CASE WHEN region <> 'EU' THEN 1 END) FROM cdp.customers")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  @Test
  void untrustedAndPlaintextClientsDoNotConnect() {
    assertThatThrownBy(() -> FlightTestClient.connect(
            FlightClient.builder().location(Location.forGrpcTls("127.0.0.1", server.flightPort())), "admin", "admin-demo"))
        .isInstanceOf(FlightRuntimeException.class);
    assertThatThrownBy(() -> FlightTestClient.connect(
            FlightClient.builder().location(Location.forGrpcInsecure("127.0.0.1", server.flightPort())),
            "admin", "admin-demo"))
        .isInstanceOf(FlightRuntimeException.class);
  }

  @Test
  void aKeyOfAnotherCertificateIsAConfigurationErrorWithItsPath() throws Exception {
    TestingCertificates other = TestingCertificates.generate(directory.resolve("other"));
    GatewayServer mismatched = new GatewayServer(TestingGateway.demoConfig(config -> config.withListeners(
        new ListenersConfig(
            new HttpListenerConfig("127.0.0.1", 0),
            new FlightListenerConfig("127.0.0.1", 0).withTls(new TlsConfig(certificates.certificate(), other.privateKey()))))));
    try {
      assertThatThrownBy(mismatched::start)
          .isInstanceOfSatisfying(GatewayException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
          .hasMessageContaining("listeners.flight.tls.private_key")
          .hasMessageContaining("does not belong to the certificate");
    } finally {
      mismatched.close();
    }
  }
}
