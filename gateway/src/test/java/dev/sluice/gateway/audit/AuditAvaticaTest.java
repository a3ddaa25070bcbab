package dev.sluice.gateway.audit;

import static dev.sluice.gateway.audit.AuditTesting.awaitRecord;
import static dev.sluice.gateway.audit.AuditTesting.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every path a query takes through the stock Avatica driver leaves the documented records: a
 * success (started, finished ok), a warehouse failure (started, finished failed), a query refused
 * while planning (rejected alone), a result closed before its end (finished canceled) and a
 * refused login (rejected alone, no password). Each test checks the fields of its records.
 */
class AuditAvaticaTest {
  private static final String APPLICATION = "audit-acceptance";
  private static GatewayServer server;
  private static Path audit;

  @BeforeAll
  static void start() {
    server = new GatewayServer(TestingGateway.demoConfig());
    server.start();
    audit = server.config().audit().directory();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aSuccessfulQueryIsStartedThenFinished() throws Exception {
    String sql = "SELECT customer_id, email FROM cdp.customers WHERE customer_id = ? /* success */";
    try (Connection connection = connect("max", "max-demo");
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, 42);
      try (ResultSet rs = statement.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.next()).isFalse();
      }
    }
    JsonNode started = awaitRecord(audit, r -> r.path("type").asText().equals("started") && r.path("sql").asText().equals(sql));
    assertThat(started.path("seq").asLong()).isPositive();
    assertThat(Instant.parse(started.path("time").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(started.path("query_id").asText()).matches("[0-9a-f-]{36}");
    assertThat(started.path("user").asText()).isEqualTo("max");
    assertThat(texts(started, "roles")).containsExactly("marketer");
    assertThat(started.path("protocol").asText()).isEqualTo("avatica");
    assertThat(started.path("client_address").asText()).isEqualTo("127.0.0.1");
    assertThat(started.path("client_application").asText()).isEqualTo(APPLICATION);
    assertThat(started.path("purpose").isNull()).isTrue();
    assertThat(started.path("sql_redacted").asBoolean()).isFalse();
    assertThat(started.path("sql_hash").asText()).isEqualTo(ChainHash.sha256Hex(sql));
    assertThat(texts(started, "tables")).containsExactly("cdp.customers");
    assertThat(texts(started, "columns")).containsExactly("cdp.customers.customer_id", "cdp.customers.email");
    assertThat(started.path("masks")).hasSize(1);
    assertThat(started.path("masks").get(0).path("table").asText()).isEqualTo("cdp.customers");
    assertThat(started.path("masks").get(0).path("column").asText()).isEqualTo("email");
    assertThat(started.path("masks").get(0).path("mask").asText()).isEqualTo("hash");
    assertThat(started.path("row_filters")).isEmpty();
    assertThat(started.path("denied")).isEmpty();
    assertThat(started.path("pushdowns")).hasSize(1);
    assertThat(started.path("pushdowns").get(0).path("warehouse").asText()).isEqualTo("dw");
    assertThat(started.path("pushdowns").get(0).path("sql").asText())
        .contains("\"retail\".\"households\"").doesNotContain("sluice query_id");

    String queryId = started.path("query_id").asText();
    JsonNode finished = awaitRecord(audit, type("finished", queryId));
    assertThat(finished.path("seq").asLong()).isGreaterThan(started.path("seq").asLong());
    assertThat(finished.path("status").asText()).isEqualTo("ok");
    assertThat(finished.path("error").isNull()).isTrue();
    assertThat(finished.path("rows").asLong()).isEqualTo(1);
    assertThat(finished.path("bytes").isNull()).isTrue();
    JsonNode timings = finished.path("timings");
    // Admission ran (no limit was reached): the wait is recorded, and short.
    assertThat(timings.path("queue_ms").isNumber()).isTrue();
    assertThat(timings.path("queue_ms").asDouble()).isNotNegative();
    assertThat(timings.path("planning_ms").asDouble()).isNotNegative();
    assertThat(timings.path("execution_ms").asDouble()).isPositive();
    assertThat(timings.path("total_ms").asDouble())
        .isGreaterThanOrEqualTo(timings.path("planning_ms").asDouble() + timings.path("execution_ms").asDouble() - 0.01);
  }

  @Test
  void rowFiltersAreRecordedWithTheUsersAttributes() throws Exception {
    String sql = "SELECT COUNT(*) FROM cdp.purchases /* filtered */";
    try (Connection connection = connect("mia", "mia-demo");
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
    }
    JsonNode started = awaitRecord(audit, r -> r.path("type").asText().equals("started") && r.path("sql").asText().equals(sql));
    assertThat(texts(started, "tables")).containsExactly("cdp.purchases");
    assertThat(texts(started, "columns")).isEmpty();
    assertThat(started.path("row_filters")).hasSize(1);
    assertThat(started.path("row_filters").get(0).path("table").asText()).isEqualTo("cdp.purchases");
    assertThat(started.path("row_filters").get(0).path("sql").asText())
        .contains("\"customer_id\" IN (SELECT").contains("region = 'EU'");
  }

  @Test
  void aWarehouseFailureFinishesFailedWithItsError() throws Exception {
    String sql = "SELECT CAST(email AS INTEGER) FROM cdp.customers /* fails in the warehouse */";
    assertThatThrownBy(() -> {
      try (Connection connection = connect("admin", "admin-demo");
          Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery(sql)) {
        while (rs.next()) {
          rs.getObject(1);
        }
      }
    }).isInstanceOf(SQLException.class);
    JsonNode started = awaitRecord(audit, r -> r.path("type").asText().equals("started") && r.path("sql").asText().equals(sql));
    JsonNode finished = awaitRecord(audit, type("finished", started.path("query_id").asText()));
    assertThat(finished.path("status").asText()).isEqualTo("failed");
    assertThat(finished.path("error").path("code").asText()).isEqualTo("WAREHOUSE_ERROR");
    assertThat(finished.path("error").path("sql_state").asText()).isEqualTo("58000");
    assertThat(finished.path("error").path("message").asText()).startsWith("Warehouse dw failed to run the query");
    assertThat(finished.path("rows").asLong()).isZero();
  }

  @Test
  void queriesRefusedWhilePlanningAreRejectedAlone() throws Exception {
    String hidden = "SELECT email FROM cdp.customers /* denied column */";
    String syntax = "SELEC email FROM cdp.customers /* syntax */";
    String write = "DELETE FROM cdp.customers /* write */";
    for (String sql : List.of(hidden, syntax, write)) {
      try (Connection connection = connect("ana", "ana-demo"); Statement statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.executeQuery(sql)).isInstanceOf(SQLException.class);
      }
    }
    JsonNode denied = awaitRecord(audit, r -> r.path("type").asText().equals("rejected") && r.path("sql").asText().equals(hidden));
    assertThat(denied.path("stage").asText()).isEqualTo("planning");
    assertThat(denied.path("user").asText()).isEqualTo("ana");
    assertThat(texts(denied, "roles")).containsExactly("analyst");
    assertThat(denied.path("protocol").asText()).isEqualTo("avatica");
    assertThat(denied.path("client_address").asText()).isEqualTo("127.0.0.1");
    assertThat(denied.path("sql_hash").asText()).isEqualTo(ChainHash.sha256Hex(hidden));
    assertThat(texts(denied, "denied")).containsExactly("cdp.customers.email");
    assertThat(denied.path("error").path("code").asText()).isEqualTo("UNKNOWN_OBJECT");
    assertThat(denied.path("error").path("sql_state").asText()).isEqualTo("42S02");
    String deniedId = denied.path("query_id").asText();
    // Nothing ran, so nothing started or finished under its id.
    assertThat(AuditTesting.records(audit)).noneMatch(r -> r.path("query_id").asText().equals(deniedId)
        && !r.path("type").asText().equals("rejected"));

    JsonNode syntaxError = awaitRecord(audit, r -> r.path("type").asText().equals("rejected") && r.path("sql").asText().equals(syntax));
    assertThat(syntaxError.path("error").path("sql_state").asText()).isEqualTo("42601");
    assertThat(syntaxError.path("denied")).isEmpty();
    JsonNode writeRefused = awaitRecord(audit, r -> r.path("type").asText().equals("rejected") && r.path("sql").asText().equals(write));
    assertThat(writeRefused.path("error").path("code").asText()).isEqualTo("NOT_READ_ONLY");
    assertThat(writeRefused.path("error").path("sql_state").asText()).isEqualTo("25006");
  }

  @Test
  void aResultClosedBeforeItsEndFinishesCanceled() throws Exception {
    String sql = "SELECT order_id FROM cdp.purchases /* closed early */";
    try (Connection connection = connect("admin", "admin-demo");
        Statement statement = connection.createStatement()) {
      ResultSet rs = statement.executeQuery(sql);
      for (int i = 0; i < 5; i++) {
        assertThat(rs.next()).isTrue();
      }
      // The stock driver's cancel() stays on the client; closing the statement reaches the gateway.
      statement.close();
    }
    JsonNode started = awaitRecord(audit, r -> r.path("type").asText().equals("started") && r.path("sql").asText().equals(sql));
    JsonNode finished = awaitRecord(audit, type("finished", started.path("query_id").asText()));
    assertThat(finished.path("status").asText()).isEqualTo("canceled");
    assertThat(finished.path("error").isNull()).isTrue();
    // The first frame went to the client; the million rows after it were never read.
    assertThat(finished.path("rows").asLong()).isPositive().isLessThan(1_000_000);
  }

  @Test
  void refusedLoginsAreRejectedWithoutTheirPassword() throws Exception {
    String password = "Wr0ng-Passw0rd-xyzzy";
    String unknownUser = "not-a-user-7f31";
    assertThatThrownBy(() -> connect("max", password).createStatement().executeQuery("SELECT 1"))
        .hasMessageContaining("401");
    assertThatThrownBy(() -> connect(unknownUser, password).createStatement().executeQuery("SELECT 1"))
        .hasMessageContaining("401");
    JsonNode wrongPassword = awaitRecord(audit, r -> r.path("type").asText().equals("rejected")
        && r.path("stage").asText().equals("authentication") && r.path("user").asText().equals("max"));
    assertThat(wrongPassword.path("client_address").asText()).isEqualTo("127.0.0.1");
    assertThat(wrongPassword.path("roles")).isEmpty();
    assertThat(wrongPassword.path("sql").isNull()).isTrue();
    assertThat(wrongPassword.path("error").path("code").asText()).isEqualTo("AUTHENTICATION_FAILED");
    assertThat(wrongPassword.path("error").path("sql_state").asText()).isEqualTo("28000");
    JsonNode unknown = awaitRecord(audit, r -> r.path("type").asText().equals("rejected")
        && r.path("unknown_user_sha256").asText().equals(ChainHash.sha256Hex(unknownUser)));
    assertThat(unknown.path("user").isNull()).isTrue();
    // Neither the password nor an unknown name (often a password typed in the wrong field) is kept.
    assertThat(String.join("\n", AuditTesting.lines(audit)))
        .doesNotContain(password).doesNotContain(unknownUser).doesNotContain("Basic ");
  }

  @Test
  void theLogVerifiesAfterAllOfIt() throws Exception {
    aSuccessfulQueryIsStartedThenFinished();
    assertThat(new AuditVerifier(java.util.Optional.empty()).verify(audit).intact()).isTrue();
  }

  /** The stock driver sends the connection's properties to the server, but not the URL's. */
  private static Connection connect(String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("applicationName", APPLICATION);
    return DriverManager.getConnection(TestingGateway.url(server, "protobuf", user, password), properties);
  }

  private static List<String> texts(JsonNode record, String field) {
    return AuditJson.texts(record, field);
  }
}
