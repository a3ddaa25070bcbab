package dev.sluice.gateway.audit;

import static dev.sluice.gateway.audit.AuditTesting.awaitRecord;
import static dev.sluice.gateway.audit.AuditTesting.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.PoliciesConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.PolicyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What never appears in a record: literals, when {@code audit.redact_literals} is on (replaced by
 * {@code ?} on Calcite's parse tree, in the client's SQL and in the SQL sent to warehouses), and
 * secrets such as a hash mask's salt, which generated SQL contains.
 */
class AuditRedactionTest {
  private static final String SALT = "pepper-9f2c1e77";

  @TempDir Path temporary;

  @Test
  void literalsAreReplacedByPlaceholdersButKeywordsStay() {
    String sql = "SELECT TRIM(BOTH ' ' FROM email), FLOOR(signup_at TO YEAR), 'x''y' AS q, NULL"
        + " FROM cdp.customers WHERE email = 'ann@example.com' AND customer_id IN (1, 2)"
        + " AND signup_at > TIMESTAMP '2025-01-01 00:00:00' AND signup_at < CURRENT_TIMESTAMP - INTERVAL '7' DAY"
        + " AND lifetime_value > 12.5 -- 'comment'\n LIMIT 10";
    String redacted = SqlRedaction.redact(sql).orElseThrow();
    assertThat(redacted)
        .doesNotContain("ann@example.com").doesNotContain("2025-01-01").doesNotContain("12.5")
        .doesNotContain("'7'").doesNotContain("x''y").doesNotContain("comment").doesNotContain("'")
        .contains("BOTH").contains("YEAR").contains("NULL").contains("?").contains("\"customers\"");
    assertThat(SqlRedaction.redact("SELEC broken 'secret'")).isEmpty();
  }

  @Test
  void everyCorpusQueryCanBeRedacted() {
    for (Corpus.Query query : Corpus.load()) {
      Optional<String> redacted = SqlRedaction.redact(query.sql());
      assertThat(redacted).as(query.name()).isPresent();
      assertThat(redacted.get()).as(query.name()).doesNotContain("'");
    }
  }

  @Test
  void withRedactionNoLiteralReachesTheLogAndSaltsNeverDo() throws Exception {
    Path policies = saltedPolicies();
    GatewayConfig config = TestingGateway.demoConfig(c -> c
        .withAudit(c.audit().withRedactLiterals(true))
        .withPolicies(new PoliciesConfig(Optional.of(policies.toString()), Duration.ofHours(1), List.of("admin"))));
    try (GatewayServer server = new GatewayServer(config, VariableResolver.of(Map.of("SALT", SALT)))) {
      server.start();
      Path audit = server.config().audit().directory();
      String sql = "SELECT email FROM cdp.customers WHERE email <> 'bob@example.com' AND customer_id = 77";
      TestingGateway.rows(server, "protobuf", "max", sql);
      JsonNode started = awaitRecord(audit, r -> r.path("type").asText().equals("started")
          && r.path("user").asText().equals("max"));
      assertThat(started.path("sql_redacted").asBoolean()).isTrue();
      assertThat(started.path("sql").asText()).contains("?").doesNotContain("bob@example.com").doesNotContain("77");
      // The hash of what was received still identifies the statement.
      assertThat(started.path("sql_hash").asText()).isEqualTo(ChainHash.sha256Hex(sql));
      assertThat(started.path("pushdowns").get(0).path("sql").asText())
          .doesNotContain("bob@example.com").doesNotContain("77").contains("?");
      awaitRecord(audit, type("finished", started.path("query_id").asText()));

      assertThatThrownBy(() -> TestingGateway.rows(server, "protobuf", "max",
          "SELECT CAST(email AS INTEGER) FROM cdp.customers WHERE city <> 'Springfield'"))
          .isInstanceOf(SQLException.class);
      awaitRecord(audit, r -> r.path("type").asText().equals("finished") && r.path("status").asText().equals("failed"));
      assertThat(String.join("\n", AuditTesting.lines(audit)))
          .doesNotContain("bob@example.com").doesNotContain("Springfield").doesNotContain(SALT);
    }
  }

  @Test
  void withoutRedactionSaltsAreStillBlankedOut() throws Exception {
    Path policies = saltedPolicies();
    GatewayConfig config = TestingGateway.demoConfig(c -> c
        .withPolicies(new PoliciesConfig(Optional.of(policies.toString()), Duration.ofHours(1), List.of("admin"))));
    try (GatewayServer server = new GatewayServer(config, VariableResolver.of(Map.of("SALT", SALT)))) {
      server.start();
      Path audit = server.config().audit().directory();
      TestingGateway.rows(server, "protobuf", "max", "SELECT email FROM cdp.customers WHERE customer_id = 5");
      JsonNode started = awaitRecord(audit, r -> r.path("type").asText().equals("started")
          && r.path("user").asText().equals("max"));
      assertThat(started.path("sql").asText()).contains("customer_id = 5");
      assertThat(started.path("pushdowns").get(0).path("sql").asText()).contains(AuditTrail.SECRET);
      assertThat(started.path("masks").get(0).path("mask").asText()).isEqualTo("hash(salted)");
      assertThat(String.join("\n", AuditTesting.lines(audit))).doesNotContain(SALT);
    }
  }

  @Test
  void theAuditLogIsGrantedWholeOrNotAtAll() {
    var policies = PolicyFile.parse("""
        roles:
          auditor:
            tables:
              audit.query_log:
                columns:
                  sql_text: deny
        """, "policies.yaml", name -> Optional.empty());
    GatewayServer server = TestingGateway.shared();
    assertThat(server.engine().governance().validate(policies))
        .containsExactly("roles.auditor.tables.audit.query_log: audit.query_log is granted whole:"
            + " write {} (no default, columns or row_filters)");
    assertThatThrownBy(() -> server.engine().governance().replace(policies)).isInstanceOf(GatewayException.class);
  }

  /** The demo's policies with max's e-mails hashed with a salt from the environment. */
  private Path saltedPolicies() throws Exception {
    String demo;
    try (var in = getClass().getResourceAsStream("/dev/sluice/gateway/demo/policies.yaml")) {
      demo = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String salted = demo.replaceFirst("email: \\{ mask: hash \\}", "email: { mask: hash, salt_env: SALT }");
    assertThat(salted).isNotEqualTo(demo);
    return Files.writeString(temporary.resolve("policies.yaml"), salted);
  }
}
