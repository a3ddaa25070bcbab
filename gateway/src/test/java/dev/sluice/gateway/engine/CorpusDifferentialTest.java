package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.demo.DemoDataGenerator;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.ReferenceDatabase;
import dev.sluice.gateway.testing.ResultRows;
import dev.sluice.gateway.testing.TestingGateway;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway's answer to every corpus query (as admin, through the stock Avatica driver) equals
 * DuckDB's answer over plain views that define the virtual schema on the same demo files.
 */
class CorpusDifferentialTest {
  private static ReferenceDatabase reference;
  private static GatewayServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = TestingGateway.shared();
    DemoDataGenerator demo =
        new DemoDataGenerator(TestingGateway.demoDirectory(), TestingGateway.CUSTOMERS, TestingGateway.SEED);
    reference = ReferenceDatabase.open(demo.dwFile(), demo.lakeFile());
  }

  @AfterAll
  static void stop() throws SQLException {
    reference.close();
  }

  static Stream<Arguments> queries() {
    return Corpus.load().stream()
        .flatMap(q -> Stream.of(Arguments.of(q, "protobuf"), Arguments.of(q, "json")));
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("queries")
  void gatewayAnswersLikeDuckDbOverTheVirtualViews(Corpus.Query query, String serialization)
      throws SQLException {
    List<List<Object>> expected = normalize(reference.query(query.sql(), query.paramArray()));
    List<List<Object>> actual = normalize(viaGateway(query, serialization));
    assertThat(expected).as("reference rows of %s", query.name()).isNotEmpty();
    if (isOrdered(query.sql())) {
      assertThat(actual).as(query.name()).containsExactlyElementsOf(expected);
    } else {
      assertThat(sorted(actual)).as(query.name()).containsExactlyElementsOf(sorted(expected));
    }
  }

  private static List<List<Object>> viaGateway(Corpus.Query query, String serialization) throws SQLException {
    return TestingGateway.rows(server, serialization, "admin", query.sql(), query.paramArray());
  }

  /** Ordered when the outermost query ends with ORDER BY (after the last closing parenthesis). */
  static boolean isOrdered(String sql) {
    return ResultRows.isOrdered(sql);
  }

  static List<List<Object>> normalize(List<List<Object>> rows) {
    return ResultRows.normalize(rows);
  }

  static List<List<Object>> sorted(List<List<Object>> rows) {
    return ResultRows.sorted(rows);
  }
}
