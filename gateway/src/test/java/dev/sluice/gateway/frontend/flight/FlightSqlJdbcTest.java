package dev.sluice.gateway.frontend.flight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.ResultRows;
import dev.sluice.gateway.testing.TestingGateway;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stock Flight SQL JDBC driver ({@code jdbc:arrow-flight-sql://...?useEncryption=false})
 * against the in-JVM gateway: the public corpus as admin, max and mia returns what the Avatica
 * driver returns (timestamps compared at millisecond precision), and {@code DatabaseMetaData}
 * shows each user the same tables and columns as Avatica's does.
 */
class FlightSqlJdbcTest {
  private static final GatewayServer SERVER = TestingGateway.shared();
  private static final Map<String, Connection> CONNECTIONS = new ConcurrentHashMap<>();

  static Stream<Arguments> queries() {
    return Stream.of("admin", "max", "mia")
        .flatMap(user -> Corpus.load().stream().map(query -> Arguments.of(user, query)));
  }

  @AfterAll
  static void closeConnections() throws SQLException {
    for (Connection connection : CONNECTIONS.values()) {
      connection.close();
    }
  }

  @ParameterizedTest(name = "{1} as {0}")
  @MethodSource("queries")
  void corpusAnswersLikeAvatica(String user, Corpus.Query query) throws SQLException {
    List<List<Object>> expected =
        ResultRows.normalize(TestingGateway.rows(SERVER, "protobuf", user, query.sql(), query.paramArray()));
    List<List<Object>> actual;
    try (PreparedStatement statement = connection(user).prepareStatement(query.sql())) {
      for (int i = 0; i < query.params().size(); i++) {
        statement.setObject(i + 1, query.params().get(i));
      }
      try (ResultSet rs = statement.executeQuery()) {
        actual = ResultRows.normalize(rows(rs));
      }
    }

    if (ResultRows.isOrdered(query.sql())) {
      assertThat(actual).as(query.name()).containsExactlyElementsOf(expected);
    } else {
      assertThat(ResultRows.sorted(actual)).as(query.name()).containsExactlyElementsOf(ResultRows.sorted(expected));
    }
  }

  @Test
  void plainStatementsWork() throws SQLException {
    try (Statement statement = connection("mia").createStatement();
        ResultSet rs = statement.executeQuery(
            "SELECT COUNT(*), COUNT(CASE WHEN region <> 'EU' THEN 1 END) FROM cdp.customers")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isPositive().isLessThan(TestingGateway.CUSTOMERS);
      assertThat(rs.getLong(2)).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"admin", "max", "mia", "ana", "sam"})
  void tablesAndColumnsAreThoseAvaticaShows(String user) throws SQLException {
    DatabaseMetaData flight = connection(user).getMetaData();
    try (Connection avaticaConnection = TestingGateway.connect(SERVER, "protobuf", user)) {
      DatabaseMetaData avatica = avaticaConnection.getMetaData();

      List<String> tables = tables(flight.getTables(null, null, "%", null));
      List<String> columns = columns(flight.getColumns(null, "cdp", "%", "%"));
      if (!user.equals("sam")) {
        assertThat(tables).contains("cdp.customers TABLE", "cdp.purchases TABLE");
        assertThat(columns).hasSizeGreaterThan(30);
      }

      assertThat(tables).isEqualTo(tables(avatica.getTables(null, null, "%", null)));
      assertThat(columns).isEqualTo(columns(avatica.getColumns(null, "cdp", "%", "%")));
      assertThat(columns(flight.getColumns(null, "cdp", "cust%", "%_name")))
          .isEqualTo(columns(avatica.getColumns(null, "cdp", "cust%", "%_name")));
    }
  }

  @Test
  void deniedColumnsAndTablesAreAbsent() throws SQLException {
    List<String> analyst = columnNames(connection("ana").getMetaData().getColumns(null, "cdp", "customers", "%"));
    List<String> admin = columnNames(connection("admin").getMetaData().getColumns(null, "cdp", "customers", "%"));

    assertThat(admin).contains("email", "phone", "first_name", "last_name", "birth_date");
    assertThat(analyst).contains("customer_id", "birth_date").doesNotContain("email", "phone", "first_name", "last_name");
    assertThat(tables(connection("sam").getMetaData().getTables(null, "cdp", "%", null))).isEmpty();
  }

  @Test
  void wrongPasswordFails() {
    assertThatThrownBy(() -> DriverManager.getConnection(TestingGateway.flightJdbcUrl(SERVER, "max", "wrong")))
        .isInstanceOf(SQLException.class)
        .hasStackTraceContaining("UNAUTHENTICATED")
        .hasStackTraceContaining("invalid user name or password");
  }

  private static Connection connection(String user) {
    return CONNECTIONS.computeIfAbsent(user, name -> {
      try {
        return DriverManager.getConnection(TestingGateway.flightJdbcUrl(SERVER, name));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static List<List<Object>> rows(ResultSet rs) throws SQLException {
    int count = rs.getMetaData().getColumnCount();
    List<List<Object>> rows = new ArrayList<>();
    while (rs.next()) {
      Object[] row = new Object[count];
      for (int i = 0; i < count; i++) {
        row[i] = rs.getObject(i + 1);
      }
      rows.add(Arrays.asList(row));
    }
    return rows;
  }

  private static List<String> tables(ResultSet rs) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + " " + rs.getString("TABLE_TYPE"));
      }
    }
    tables.sort(null);
    return tables;
  }

  /** Schema, table, column, position, JDBC type and nullability of each column. */
  private static List<String> columns(ResultSet rs) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        columns.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + "." + rs.getString("COLUMN_NAME")
            + " #" + rs.getInt("ORDINAL_POSITION") + " type " + rs.getInt("DATA_TYPE")
            + " nullable " + rs.getInt("NULLABLE"));
      }
    }
    columns.sort(null);
    return columns;
  }

  private static List<String> columnNames(ResultSet rs) throws SQLException {
    List<String> names = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        names.add(rs.getString("COLUMN_NAME"));
      }
    }
    return names;
  }
}
