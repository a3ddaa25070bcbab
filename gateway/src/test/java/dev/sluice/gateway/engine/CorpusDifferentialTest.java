package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.demo.DemoDataGenerator;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.ReferenceDatabase;
import dev.sluice.gateway.testing.TestingGateway;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
    String upper = sql.toUpperCase(Locale.ROOT);
    return upper.substring(upper.lastIndexOf(')') + 1).contains("ORDER BY");
  }

  static List<List<Object>> normalize(List<List<Object>> rows) {
    List<List<Object>> result = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      List<Object> normalized = new ArrayList<>(row.size());
      for (Object value : row) {
        normalized.add(normalize(value));
      }
      result.add(normalized);
    }
    return result;
  }

  /** One representation per value: numbers as BigDecimal (doubles to 12 digits), times to millis. */
  private static Object normalize(Object value) {
    if (value instanceof Double || value instanceof Float) {
      return new BigDecimal(((Number) value).doubleValue()).round(new MathContext(12)).stripTrailingZeros().toPlainString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().toPlainString();
    }
    if (value instanceof Number number) {
      return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toLocalDateTime().truncatedTo(ChronoUnit.MILLIS).toString();
    }
    if (value instanceof LocalDateTime timestamp) {
      return timestamp.truncatedTo(ChronoUnit.MILLIS).toString();
    }
    if (value instanceof Date date) {
      return date.toLocalDate().toString();
    }
    if (value instanceof LocalDate date) {
      return date.toString();
    }
    return value;
  }

  static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }
}
