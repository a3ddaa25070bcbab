package dev.sluice.gateway.frontend.flight;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightClientMiddleware;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.util.TableRef;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stock {@code FlightSqlClient} against the in-JVM gateway: prepared statements with
 * parameters, metadata filtered per user exactly as Avatica's, GetSqlInfo, GetXdbcTypeInfo and
 * GetPrimaryKeys, authentication (wrong passwords, tokens shared with HTTP), handles that belong to
 * their creator, the error mapping, and the commands a read-only gateway refuses.
 */
@Timeout(120)
class FlightSqlEndToEndTest {
  private static final GatewayServer SERVER = TestingGateway.shared();
  private static FlightTestClient admin;
  private static FlightTestClient max;

  @BeforeAll
  static void connect() {
    admin = FlightTestClient.connect(SERVER, "admin");
    max = FlightTestClient.connect(SERVER, "max");
  }

  @AfterAll
  static void disconnect() {
    admin.close();
    max.close();
  }

  // ---- prepared statements -----------------------------------------------------------------

  @Test
  void preparedStatementsBindParametersAgainAndAgain() {
    String query = "SELECT COUNT(*) AS orders FROM cdp.purchases WHERE customer_id = ? AND channel = ?";
    long total = 0;
    try (FlightSqlClient.PreparedStatement prepared = admin.sql.prepare(query, admin.auth);
        VectorSchemaRoot parameters = VectorSchemaRoot.create(prepared.getParameterSchema(), admin.allocator)) {
      assertThat(prepared.getParameterSchema().getFields())
          .extracting(Field::getType)
          .containsExactly(new ArrowType.Int(64, true), ArrowType.Utf8.INSTANCE);
      assertThat(prepared.getResultSetSchema().getFields()).extracting(Field::getName).containsExactly("orders");
      for (String channel : List.of("web", "store", "marketplace", "app")) {
        parameters.allocateNew();
        ((org.apache.arrow.vector.BigIntVector) parameters.getVector(0)).setSafe(0, 4242L);
        ((org.apache.arrow.vector.VarCharVector) parameters.getVector(1)).setSafe(0, channel.getBytes(UTF_8));
        parameters.setRowCount(1);
        prepared.setParameters(parameters);
        total += (Long) admin.rows(prepared.execute(admin.auth)).get(0).get(0);
      }
      prepared.close(admin.auth);
    }

    assertThat(total)
        .isPositive()
        .isEqualTo(admin.query("SELECT COUNT(*) FROM cdp.purchases WHERE customer_id = 4242").get(0).get(0));
  }

  @Test
  void parametersMustBeBound() {
    try (FlightSqlClient.PreparedStatement prepared =
        admin.sql.prepare("SELECT email FROM cdp.customers WHERE customer_id = ?", admin.auth)) {
      assertThatThrownBy(() -> prepared.execute(admin.auth))
          .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
            assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
            assertThat(e.status().description()).startsWith("[22023]").contains("1 parameter(s)");
          });
      prepared.close(admin.auth);
    }
    assertThatThrownBy(() -> admin.sql.execute("SELECT email FROM cdp.customers WHERE customer_id = ?", admin.auth))
        .isInstanceOfSatisfying(FlightRuntimeException.class,
            e -> assertThat(e.status().description()).startsWith("[22023]").contains("prepare it"));
  }

  @Test
  void masksApplyThroughPreparedStatements() {
    List<List<Object>> asAdmin = admin.query("SELECT email FROM cdp.customers WHERE customer_id = ?", 42L);
    List<List<Object>> asMax = max.query("SELECT email FROM cdp.customers WHERE customer_id = ?", 42L);

    assertThat((String) asAdmin.get(0).get(0)).contains("@");
    assertThat((String) asMax.get(0).get(0)).matches("[0-9a-f]{64}");
  }

  // ---- metadata ----------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"admin", "max", "ana", "sam"})
  void tablesAndTheirSchemasAreWhatAvaticaShows(String user) throws SQLException {
    Map<String, List<String>> flight = new LinkedHashMap<>();
    try (FlightTestClient client = FlightTestClient.connect(SERVER, user)) {
      FlightInfo info = client.sql.getTables(null, null, "%", null, true, client.auth);
      for (List<Object> row : client.rows(info)) {
        assertThat(row.get(0)).as("catalog").isNull();
        Schema schema = Schema.deserializeMessage(ByteBuffer.wrap((byte[]) row.get(4)));
        flight.put(row.get(1) + "." + row.get(2), schema.getFields().stream().map(Field::getName).toList());
      }
      assertThat(client.rows(client.sql.getSchemas(null, null, client.auth)))
          .extracting(row -> (String) row.get(1))
          .containsExactlyElementsOf(avaticaSchemas(user));
    }

    assertThat(flight).isEqualTo(avaticaColumns(user));
    if (user.equals("ana")) {
      assertThat(flight.get("cdp.customers")).contains("customer_id").doesNotContain("email", "phone", "last_name");
    } else if (user.equals("sam")) {
      assertThat(flight.keySet()).noneMatch(table -> table.startsWith("cdp."));
    } else {
      assertThat(flight.get("cdp.customers")).contains("email", "phone", "last_name");
    }
  }

  @Test
  void tableFiltersAndTypesWork() {
    assertThat(admin.rows(admin.sql.getTables(null, "cdp", "pur%", List.of("TABLE"), false, admin.auth)))
        .containsExactly(java.util.Arrays.asList(null, "cdp", "purchases", "TABLE"));
    assertThat(admin.rows(admin.sql.getTables(null, null, "%", List.of("VIEW"), false, admin.auth))).isEmpty();
    assertThat(admin.rows(admin.sql.getTables("somewhere", null, "%", null, false, admin.auth))).isEmpty();
    assertThat(admin.rows(admin.sql.getCatalogs(admin.auth))).isEmpty();
    assertThat(admin.rows(admin.sql.getTableTypes(admin.auth))).containsExactly(List.of("TABLE"));
  }

  @Test
  void primaryKeysOfVisibleTablesOnly() {
    assertThat(admin.rows(admin.sql.getPrimaryKeys(TableRef.of(null, "cdp", "purchases"), admin.auth)))
        .containsExactly(java.util.Arrays.asList(null, "cdp", "purchases", "order_id", 1, "purchases_pk"));
    try (FlightTestClient sam = FlightTestClient.connect(SERVER, "sam")) {
      assertThat(sam.rows(sam.sql.getPrimaryKeys(TableRef.of(null, "cdp", "purchases"), sam.auth))).isEmpty();
    }
    assertThat(admin.rows(admin.sql.getImportedKeys(TableRef.of(null, "cdp", "purchases"), admin.auth))).isEmpty();
  }

  @Test
  void sqlInfoDescribesAReadOnlyServer() {
    FlightInfo info = admin.sql.getSqlInfo(
        new FlightSql.SqlInfo[] {
          FlightSql.SqlInfo.FLIGHT_SQL_SERVER_NAME,
          FlightSql.SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY,
          FlightSql.SqlInfo.FLIGHT_SQL_SERVER_CANCEL,
          FlightSql.SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR
        },
        admin.auth);
    Map<Integer, String> values = new LinkedHashMap<>();
    for (List<Object> row : admin.rows(info)) {
      values.put(((Number) row.get(0)).intValue(), String.valueOf(row.get(1)));
    }

    assertThat(values)
        .containsEntry(FlightSql.SqlInfo.FLIGHT_SQL_SERVER_NAME_VALUE, "Sluice")
        .containsEntry(FlightSql.SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY_VALUE, "true")
        .containsEntry(FlightSql.SqlInfo.FLIGHT_SQL_SERVER_CANCEL_VALUE, "true")
        .containsEntry(FlightSql.SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR_VALUE, "\"");
  }

  @Test
  void typeInfoListsTheQueryableTypes() {
    List<List<Object>> all = admin.rows(admin.sql.getXdbcTypeInfo(admin.auth));
    List<List<Object>> dates = admin.rows(admin.sql.getXdbcTypeInfo(Types.DATE, admin.auth));

    assertThat(all).extracting(row -> row.get(0))
        .contains("BOOLEAN", "BIGINT", "DECIMAL", "DOUBLE", "VARCHAR", "DATE", "TIMESTAMP");
    assertThat(dates).hasSize(1);
    assertThat(dates.get(0).get(0)).isEqualTo("DATE");
    assertThat(dates.get(0).get(1)).isEqualTo(Types.DATE);
    assertThat(dates.get(0).get(3)).isEqualTo("DATE '");
  }

  // ---- authentication ----------------------------------------------------------------------

  @Test
  void aWrongPasswordIsUnauthenticated() {
    FlightClient.Builder builder = FlightClient.builder().location(location());
    assertThatThrownBy(() -> FlightTestClient.connect(builder, "max", "max-wrong"))
        .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
          assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED);
          assertThat(e.status().description())
              .isEqualTo("[28000] Authentication failed: invalid user name or password");
          assertThat(e.status().metadata().get(FlightErrors.SQLSTATE)).isEqualTo("28000");
        });
    assertThatThrownBy(() -> max.sql.execute("SELECT 1", new CredentialCallOption(new BearerCredentialWriter("nope"))))
        .isInstanceOfSatisfying(FlightRuntimeException.class,
            e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED));
  }

  @Test
  void tokensFromHttpWorkOnFlightAndBack() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> issued = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SERVER.httpPort() + "/v1/auth/token"))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("mia:mia-demo".getBytes(UTF_8)))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
    String httpToken = new ObjectMapper().readTree(issued.body()).get("access_token").asText();
    CredentialCallOption bearer = new CredentialCallOption(new BearerCredentialWriter(httpToken));

    // The HTTP token carries mia's principal, row filter included.
    List<List<Object>> regions = max.rows(max.sql.execute("SELECT DISTINCT region FROM cdp.customers", bearer), bearer);
    assertThat(regions).containsExactly(List.of("EU"));

    AtomicReference<String> handshakeAnswer = new AtomicReference<>();
    FlightClient.Builder capturing = FlightClient.builder().location(location()).intercept(info -> new FlightClientMiddleware() {
      @Override
      public void onBeforeSendingHeaders(CallHeaders outgoing) {}

      @Override
      public void onHeadersReceived(CallHeaders incoming) {
        if (incoming.get("authorization") != null) {
          handshakeAnswer.set(incoming.get("authorization"));
        }
      }

      @Override
      public void onCallCompleted(CallStatus status) {}
    });
    try (FlightTestClient act = FlightTestClient.connect(capturing, "act", "act-demo")) {
      assertThat(handshakeAnswer.get()).matches("Bearer [A-Za-z0-9_-]{43}");
      HttpResponse<String> revoked = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SERVER.httpPort() + "/v1/auth/token"))
              .header("Authorization", handshakeAnswer.get())
              .timeout(Duration.ofSeconds(10))
              .DELETE()
              .build(),
          HttpResponse.BodyHandlers.ofString());
      // HTTP knew the Flight token (204), and revoking it there ends it on Flight too.
      assertThat(revoked.statusCode()).isEqualTo(204);
      assertThatThrownBy(() -> act.sql.execute("SELECT 1", act.auth))
          .isInstanceOfSatisfying(FlightRuntimeException.class,
              e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED));
    }
  }

  // ---- handles belong to their creator -----------------------------------------------------

  @Test
  void anotherUsersTicketIsRefusedAsIfItDidNotExist() throws Exception {
    FlightInfo info = admin.sql.execute("SELECT email FROM cdp.customers WHERE customer_id = 42", admin.auth);
    Ticket ticket = info.getEndpoints().get(0).getTicket();

    assertThatThrownBy(() -> readAll(max, ticket))
        .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
          assertThat(e.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND);
          assertThat(e.status().description()).isEqualTo("[26000] No such ticket (already read, expired or never issued)");
        });
    // Refusing max did not use the ticket up: admin still reads it, once.
    assertThat(admin.rows(info)).hasSize(1);
    assertThatThrownBy(() -> admin.rows(info))
        .isInstanceOfSatisfying(FlightRuntimeException.class,
            e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND));
  }

  @Test
  void anotherUsersPreparedStatementIsRefusedAsIfItDidNotExist() {
    try (FlightSqlClient.PreparedStatement prepared =
        admin.sql.prepare("SELECT COUNT(*) FROM cdp.customers", admin.auth)) {
      ByteString handle = preparedHandle(prepared, admin);
      FlightDescriptor descriptor = FlightDescriptor.command(
          Any.pack(CommandPreparedStatementQuery.newBuilder().setPreparedStatementHandle(handle).build()).toByteArray());

      assertThatThrownBy(() -> max.client.getInfo(descriptor, max.auth))
          .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
            assertThat(e.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND);
            assertThat(e.status().description()).contains("No such prepared statement");
          });
      assertThat(admin.rows(admin.client.getInfo(descriptor, admin.auth))).hasSize(1);
      prepared.close(admin.auth);
      assertThatThrownBy(() -> admin.client.getInfo(descriptor, admin.auth))
          .isInstanceOfSatisfying(FlightRuntimeException.class,
              e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND));
    }
  }

  // ---- errors and refusals -----------------------------------------------------------------

  @Test
  void errorsCarryTheirSqlStateAndNoStackTrace() {
    assertStatus(() -> admin.sql.execute("SELECT * FROM cdp.nowhere", admin.auth),
        FlightStatusCode.NOT_FOUND, "42S02");
    assertStatus(() -> admin.sql.execute("SELEC 1", admin.auth), FlightStatusCode.INVALID_ARGUMENT, "42601");
    assertStatus(() -> admin.sql.execute("DELETE FROM cdp.customers", admin.auth),
        FlightStatusCode.INVALID_ARGUMENT, "25006");
    // A table the caller may not read looks exactly like one that does not exist.
    try (FlightTestClient sam = FlightTestClient.connect(SERVER, "sam")) {
      assertStatus(() -> sam.sql.execute("SELECT COUNT(*) FROM cdp.customers", sam.auth),
          FlightStatusCode.NOT_FOUND, "42S02");
    }
  }

  @Test
  void writesTransactionsAndSubstraitAreRefused() {
    assertStatus(() -> admin.sql.executeUpdate("DELETE FROM cdp.customers", admin.auth),
        FlightStatusCode.UNIMPLEMENTED, "0A000", "Sluice is read-only");
    assertStatus(() -> admin.sql.beginTransaction(admin.auth),
        FlightStatusCode.UNIMPLEMENTED, "0A000", "transactions are not supported");
    assertStatus(() -> admin.sql.executeSubstrait(
            new FlightSqlClient.SubstraitPlan(new byte[] {1}, "0.1.0"), admin.auth),
        FlightStatusCode.UNIMPLEMENTED, "0A000", "Substrait");
  }

  private static void assertStatus(Runnable call, FlightStatusCode code, String sqlState, String... fragments) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
      assertThat(e.status().code()).as(e.status().description()).isEqualTo(code);
      assertThat(e.status().description()).startsWith("[" + sqlState + "] ").doesNotContain("\tat ", "Exception");
      assertThat(e.status().metadata().get(FlightErrors.SQLSTATE)).isEqualTo(sqlState);
      for (String fragment : fragments) {
        assertThat(e.status().description()).contains(fragment);
      }
    });
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static Location location() {
    return Location.forGrpcInsecure("127.0.0.1", SERVER.flightPort());
  }

  private static void readAll(FlightTestClient client, Ticket ticket) throws Exception {
    try (FlightStream stream = client.sql.getStream(ticket, client.auth)) {
      while (stream.next()) {
        // drain
      }
    }
  }

  /** The handle the server gave a prepared statement: the client only shows it in the descriptor it builds. */
  private static ByteString preparedHandle(FlightSqlClient.PreparedStatement prepared, FlightTestClient owner) {
    FlightInfo info = prepared.execute(owner.auth);
    owner.rows(info);
    try {
      return Any.parseFrom(info.getDescriptor().getCommand())
          .unpack(CommandPreparedStatementQuery.class)
          .getPreparedStatementHandle();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> avaticaSchemas(String user) throws SQLException {
    List<String> schemas = new ArrayList<>();
    try (Connection connection = TestingGateway.connect(SERVER, "protobuf", user);
        ResultSet rs = connection.getMetaData().getSchemas()) {
      while (rs.next()) {
        schemas.add(rs.getString("TABLE_SCHEM"));
      }
    }
    return schemas;
  }

  private static Map<String, List<String>> avaticaColumns(String user) throws SQLException {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    try (Connection connection = TestingGateway.connect(SERVER, "protobuf", user)) {
      DatabaseMetaData metadata = connection.getMetaData();
      try (ResultSet rs = metadata.getTables(null, null, "%", null)) {
        while (rs.next()) {
          tables.put(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"), new ArrayList<>());
        }
      }
      try (ResultSet rs = metadata.getColumns(null, null, "%", "%")) {
        while (rs.next()) {
          tables.get(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME")).add(rs.getString("COLUMN_NAME"));
        }
      }
    }
    return tables;
  }
}
