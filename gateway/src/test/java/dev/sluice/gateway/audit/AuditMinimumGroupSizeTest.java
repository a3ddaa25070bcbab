package dev.sluice.gateway.audit;

import static dev.sluice.gateway.audit.AuditTesting.awaitRecord;
import static dev.sluice.gateway.audit.AuditTesting.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An aggregation-only caller's records say which floor held the query and how many groups it
 * folded into the remainder, whichever protocol read the result (rows over Avatica, Arrow over
 * Flight SQL).
 */
class AuditMinimumGroupSizeTest {
  private final GatewayServer server = TestingGateway.shared();
  private final Path audit = server.config().audit().directory();

  @Test
  void startedRecordsTheFloorAndFinishedHowManyGroupsWereFolded() throws Exception {
    long small = 0;
    for (List<Object> row : TestingGateway.rows(server, "protobuf", "admin",
        "SELECT city, EXTRACT(YEAR FROM birth_date), COUNT(*) FROM cdp.customers"
            + " GROUP BY city, EXTRACT(YEAR FROM birth_date)")) {
      if (((Number) row.get(2)).longValue() < 25) {
        small++;
      }
    }
    assertThat(small).as("the demo has cities and birth years of fewer than 25 customers").isPositive();

    String avatica = "SELECT city, EXTRACT(YEAR FROM birth_date), COUNT(*) FROM cdp.customers"
        + " GROUP BY city, EXTRACT(YEAR FROM birth_date) /* folded over avatica */";
    TestingGateway.rows(server, "protobuf", "ana", avatica);
    assertFolded(avatica, small);

    String flight = "SELECT city, EXTRACT(YEAR FROM birth_date), COUNT(*) FROM cdp.customers"
        + " GROUP BY city, EXTRACT(YEAR FROM birth_date) /* folded over flight */";
    try (var connection = DriverManager.getConnection(TestingGateway.flightJdbcUrl(server, "ana"));
        var statement = connection.prepareStatement(flight);
        var rs = statement.executeQuery()) {
      while (rs.next()) {
        assertThat(rs.getMetaData().getColumnCount()).as("the folded count is not a client column").isEqualTo(3);
      }
    }
    assertFolded(flight, small);

    // The auditor finds both in audit.query_log, with the floor and the folded groups.
    long folded = small;
    List<List<Object>> logged = TestingGateway.rows(server, "protobuf", "sam",
        "SELECT min_group_size, folded_groups, status FROM audit.query_log"
            + " WHERE user_name = 'ana' AND sql_text LIKE '%folded over %'");
    assertThat(logged).hasSize(2).allSatisfy(row -> {
      assertThat(((Number) row.get(0)).intValue()).isEqualTo(25);
      assertThat(((Number) row.get(1)).longValue()).isEqualTo(folded);
      assertThat(row.get(2)).isEqualTo("ok");
    });

    // Nothing folded: 0; admin has no floor: null for both fields.
    String none = "SELECT channel, COUNT(*) FROM cdp.purchases GROUP BY channel /* nothing folded */";
    TestingGateway.rows(server, "protobuf", "ana", none);
    assertFolded(none, 0);
    String admin = "SELECT channel, COUNT(*) FROM cdp.purchases GROUP BY channel /* admin */";
    TestingGateway.rows(server, "protobuf", "admin", admin);
    JsonNode started = awaitRecord(audit, r -> r.path("type").asText().equals("started") && r.path("sql").asText().equals(admin));
    assertThat(started.path("min_group_size").isNull()).isTrue();
    JsonNode finished = awaitRecord(audit, type("finished", started.path("query_id").asText()));
    assertThat(finished.path("folded_groups").isNull()).isTrue();
  }

  private void assertFolded(String sql, long folded) throws Exception {
    JsonNode started = awaitRecord(audit, r -> r.path("type").asText().equals("started") && r.path("sql").asText().equals(sql));
    assertThat(started.path("user").asText()).isEqualTo("ana");
    assertThat(started.path("min_group_size").asInt()).isEqualTo(25);
    JsonNode finished = awaitRecord(audit, type("finished", started.path("query_id").asText()));
    assertThat(finished.path("status").asText()).isEqualTo("ok");
    assertThat(finished.path("folded_groups").asLong()).as(sql).isEqualTo(folded);
  }
}
