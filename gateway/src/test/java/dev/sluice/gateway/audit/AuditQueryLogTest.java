package dev.sluice.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log as the table {@code audit.query_log}: the auditor finds, through JDBC, every query
 * by max that read {@code customers.email} in the last hour, with the mask applied; max cannot read
 * the table or even see it; reading it is audited like any query.
 */
class AuditQueryLogTest {
  private static final String EMAIL_BY_ID = "SELECT email FROM cdp.customers WHERE customer_id = 7";
  private static final String EMAIL_IN_WHERE = "SELECT COUNT(*) FROM cdp.customers WHERE email LIKE '%0%'";
  private static final String EVERY_COLUMN = "SELECT * FROM cdp.customers WHERE customer_id = 9";
  private static final String EMAIL_JOINED = "SELECT c.email, p.amount FROM cdp.purchases p"
      + " JOIN cdp.customers c ON c.customer_id = p.customer_id WHERE p.order_id < 20";
  private static final String NO_EMAIL = "SELECT customer_id, region FROM cdp.customers WHERE customer_id = 8";
  private static final String EMAIL_PATTERN = "%\"cdp.customers.email\"%";

  private static GatewayServer server;
  private static Path audit;
  private static int joinedRows;

  @BeforeAll
  static void start() throws Exception {
    server = new GatewayServer(TestingGateway.demoConfig());
    server.start();
    audit = server.config().audit().directory();
    for (String sql : List.of(EMAIL_BY_ID, EMAIL_IN_WHERE, EVERY_COLUMN, NO_EMAIL)) {
      TestingGateway.rows(server, "protobuf", "max", sql);
    }
    joinedRows = TestingGateway.rows(server, "protobuf", "max", EMAIL_JOINED).size();
    TestingGateway.rows(server, "protobuf", "mia", EMAIL_BY_ID);
    // Finished records are written after the results are closed.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (AuditTesting.records(audit).stream().filter(r -> r.path("type").asText().equals("finished")).count() < 6
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theAuditorFindsEveryQueryByMaxThatReadEmailsInTheLastHourWithItsMask() throws Exception {
    String sql = "SELECT sql_text, masks, columns_read, status, protocol FROM audit.query_log"
        + " WHERE user_name = ? AND started_at >= ? AND columns_read LIKE ? ORDER BY seq";
    Map<String, String> masksBySql = new LinkedHashMap<>();
    try (Connection connection = TestingGateway.connect(server, "protobuf", "sam");
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, "max");
      statement.setTimestamp(2, Timestamp.from(Instant.now().minus(Duration.ofHours(1))));
      statement.setString(3, EMAIL_PATTERN);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          masksBySql.put(rs.getString("sql_text"), rs.getString("masks"));
          assertThat(rs.getString("status")).isEqualTo("ok");
          assertThat(rs.getString("protocol")).isEqualTo("avatica");
        }
      }
    }
    assertThat(masksBySql.keySet()).containsExactlyInAnyOrder(EMAIL_BY_ID, EMAIL_IN_WHERE, EVERY_COLUMN, EMAIL_JOINED);
    assertThat(masksBySql.values())
        .allSatisfy(masks -> assertThat(masks).contains("{\"table\":\"cdp.customers\",\"column\":\"email\",\"mask\":\"hash\"}"));
  }

  @Test
  void theSameSearchWorksWithPlainSqlAndTheClock() throws Exception {
    List<String> found = column("sam",
        "SELECT sql_text FROM audit.query_log WHERE user_name = 'max'"
            + " AND started_at > CURRENT_TIMESTAMP - INTERVAL '1' HOUR"
            + " AND columns_read LIKE '" + EMAIL_PATTERN + "' AND masks LIKE '%\"mask\":\"hash\"%'");
    assertThat(found).containsExactlyInAnyOrder(EMAIL_BY_ID, EMAIL_IN_WHERE, EVERY_COLUMN, EMAIL_JOINED);
    assertThat(column("sam",
        "SELECT sql_text FROM audit.query_log WHERE user_name = 'max' AND started_at < CURRENT_TIMESTAMP - INTERVAL '1' HOUR"))
        .isEmpty();
  }

  @Test
  void maxCannotReadTheAuditLogNorSeeIt() throws Exception {
    String forbidden = message("max", "SELECT * FROM audit.query_log");
    String missing = message("max", "SELECT * FROM audit.nonexistent");
    assertThat(forbidden).startsWith("42S02");
    // Exactly as for a table that does not exist.
    assertThat(forbidden.replaceAll("column \\d+", "column N").replace("query_log", "X"))
        .isEqualTo(missing.replaceAll("column \\d+", "column N").replace("nonexistent", "X"));
    try (Connection connection = TestingGateway.connect(server, "protobuf", "max")) {
      try (ResultSet tables = connection.getMetaData().getTables(null, "audit", "%", null)) {
        assertThat(tables.next()).isFalse();
      }
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = connection.getMetaData().getSchemas()) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertThat(schemas).containsExactly("cdp");
    }
  }

  @Test
  void theAuditorSeesTheTableAndItsColumnsInMetadataButNoCustomerData() throws Exception {
    try (Connection connection = TestingGateway.connect(server, "protobuf", "sam")) {
      Map<String, Integer> types = new LinkedHashMap<>();
      try (ResultSet rs = connection.getMetaData().getColumns(null, "audit", "query_log", "%")) {
        while (rs.next()) {
          types.put(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"));
        }
      }
      assertThat(types).containsEntry("query_id", Types.VARCHAR)
          .containsEntry("started_at", Types.TIMESTAMP)
          .containsEntry("user_name", Types.VARCHAR)
          .containsEntry("columns_read", Types.VARCHAR)
          .containsEntry("masks", Types.VARCHAR)
          .containsEntry("row_filters", Types.VARCHAR)
          .containsEntry("pushdowns", Types.VARCHAR)
          .containsEntry("rows_returned", Types.BIGINT)
          .containsEntry("total_ms", Types.DOUBLE);
    }
    assertThat(message("sam", "SELECT COUNT(*) FROM cdp.customers")).startsWith("42S02");
  }

  @Test
  void everyQueryRowHasItsPushdownAndTimings() throws Exception {
    try (Connection connection = TestingGateway.connect(server, "protobuf", "sam");
        PreparedStatement statement = connection.prepareStatement(
            "SELECT pushdowns, tables_read, rows_returned, total_ms, finished_at, started_at, sql_hash"
                + " FROM audit.query_log WHERE sql_text = ?")) {
      statement.setString(1, EMAIL_JOINED);
      try (ResultSet rs = statement.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("pushdowns")).contains("\"warehouse\":\"dw\"").contains("transactions");
        assertThat(rs.getString("tables_read")).isIn(
            "[\"cdp.purchases\",\"cdp.customers\"]", "[\"cdp.customers\",\"cdp.purchases\"]");
        assertThat(rs.getLong("rows_returned")).isEqualTo(joinedRows);
        assertThat(rs.getDouble("total_ms")).isPositive();
        assertThat(rs.getTimestamp("finished_at")).isAfterOrEqualTo(rs.getTimestamp("started_at"));
        assertThat(rs.getString("sql_hash")).isEqualTo(ChainHash.sha256Hex(EMAIL_JOINED));
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void readingTheAuditLogIsAudited() throws Exception {
    String sql = "SELECT COUNT(*) FROM audit.query_log WHERE status = 'ok' /* who watches */";
    column("sam", sql);
    var started = AuditTesting.awaitRecord(audit, r -> r.path("type").asText().equals("started")
        && r.path("sql").asText().equals(sql));
    assertThat(started.path("user").asText()).isEqualTo("sam");
    assertThat(AuditJson.texts(started, "tables")).containsExactly("audit.query_log");
    assertThat(AuditJson.texts(started, "columns")).containsExactly("audit.query_log.status");
    assertThat(started.path("pushdowns")).isEmpty();
  }

  private static List<String> column(String user, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    for (List<Object> row : TestingGateway.rows(server, "protobuf", user, sql)) {
      values.add(String.valueOf(row.get(0)));
    }
    return values;
  }

  private static String message(String user, String sql) {
    try (Connection connection = TestingGateway.connect(server, "protobuf", user);
        Statement statement = connection.createStatement()) {
      statement.executeQuery(sql);
    } catch (SQLException e) {
      return e.getSQLState() + ": " + e.getMessage();
    }
    throw new AssertionError("expected " + sql + " to fail for " + user);
  }
}
