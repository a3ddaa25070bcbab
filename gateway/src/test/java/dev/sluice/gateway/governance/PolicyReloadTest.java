package dev.sluice.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.catalog.Governance;
import dev.sluice.gateway.config.PoliciesConfig;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.PolicyFile;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file is reloaded while the gateway runs; a broken file changes nothing. */
class PolicyReloadTest {
  @TempDir Path directory;

  @Test
  void aChangedFileChangesWhatNewQueriesSeeAndABrokenOneChangesNothing() throws Exception {
    Path policies = directory.resolve("policies.yaml");
    String demo = demoPolicies();
    Files.writeString(policies, demo);
    PoliciesConfig config = new PoliciesConfig(Optional.of(policies.toString()), Duration.ofMillis(100), List.of("admin"));
    try (GatewayServer server = new GatewayServer(TestingGateway.demoConfig().withPolicies(config))) {
      server.start();
      String clear = email(server, "admin");
      assertThat(email(server, "max")).isEqualTo(DemoPoliciesTest.sha256(clear));

      // Marketers may now see e-mails in the clear.
      Files.writeString(policies, demo.replaceFirst("email: \\{ mask: hash \\}", "email: allow"));
      assertThat(eventually(() -> email(server, "max"), clear)).isEqualTo(clear);

      // A broken file is rejected; the previous policies stay in force.
      Files.writeString(policies, demo.replaceFirst("(?m)^roles:\\s*$", "roles:\n  broken:\n    tables:\n      nowhere: {}"));
      Thread.sleep(500);
      assertThat(email(server, "max")).isEqualTo(clear);

      HttpResponse<String> asAdmin = reload(server, "admin");
      assertThat(asAdmin.statusCode()).isEqualTo(422);
      assertThat(asAdmin.body()).contains("roles.broken.tables.nowhere").contains("previous policies stay in force");
      assertThat(reload(server, "max").statusCode()).isEqualTo(403);

      Files.writeString(policies, demo);
      assertThat(reload(server, "admin").statusCode()).isEqualTo(200);
      assertThat(email(server, "max")).isEqualTo(DemoPoliciesTest.sha256(clear));
    }
  }

  @Test
  void policiesNamingUnknownTablesOrColumnsOrBadSqlAreRejectedWithTheirPaths() throws Exception {
    String broken = demoPolicies()
        .replace("email: { mask: hash }", "emial: { mask: hash }")
        .replaceFirst("(?m)^roles:\\s*$", "roles:\n  typo:\n    tables:\n      custmers: {}\n  badsql:\n    tables:\n"
            + "      customers:\n        row_filters: [\"no_such_column = 1\"]");
    var policySet = PolicyFile.parse(broken, "broken.yaml", name -> Optional.empty());
    assertThatThrownBy(() -> new Governance(TestingGateway.shared().engine().catalog(), policySet))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
        .hasMessageContaining("roles.typo.tables.custmers: no such table")
        .hasMessageContaining("columns.emial: no such column");
    var sqlOnly = PolicyFile.parse(
        demoPolicies().replaceFirst("(?m)^roles:\\s*$", "roles:\n  badsql:\n    tables:\n"
            + "      customers:\n        row_filters: [\"no_such_column = 1\"]"),
        "bad.yaml", name -> Optional.empty());
    assertThatThrownBy(() -> new Governance(TestingGateway.shared().engine().catalog(), sqlOnly))
        .hasMessageContaining("roles.badsql")
        .hasMessageContaining("no_such_column");
  }

  private static String demoPolicies() throws Exception {
    try (InputStream in = PolicyReloadTest.class.getResourceAsStream("/dev/sluice/gateway/demo/policies.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String email(GatewayServer server, String user) throws Exception {
    try (Connection connection = TestingGateway.connect(server, "protobuf", user);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT email FROM cdp.customers WHERE customer_id = 42")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static HttpResponse<String> reload(GatewayServer server, String user) throws Exception {
    String credentials = Base64.getEncoder().encodeToString((user + ":" + user + "-demo").getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/admin/policies/reload"))
        .header("Authorization", "Basic " + credentials)
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private interface Probe {
    String get() throws Exception;
  }

  private static String eventually(Probe probe, String expected) throws Exception {
    String last = null;
    for (int i = 0; i < 100; i++) {
      last = probe.get();
      if (expected.equals(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    return last;
  }
}
