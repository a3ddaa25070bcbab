package dev.sluice.gateway.frontend.flight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.ResultRows;
import dev.sluice.gateway.testing.TestingGateway;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole public corpus, with its parameters, through the stock {@code FlightSqlClient} as
 * admin, max and mia: the same rows as the Avatica path for the same user, so masks and row
 * filters apply alike. Arrow timestamps keep microseconds while Avatica's have milliseconds, so
 * both are compared at millisecond precision ({@link ResultRows}).
 */
class FlightSqlCorpusTest {
  private static final GatewayServer SERVER = TestingGateway.shared();
  private static final Map<String, FlightTestClient> CLIENTS = new ConcurrentHashMap<>();

  static Stream<Arguments> queries() {
    return Stream.of("admin", "max", "mia")
        .flatMap(user -> Corpus.load().stream().map(query -> Arguments.of(user, query)));
  }

  @AfterAll
  static void closeClients() {
    CLIENTS.values().forEach(FlightTestClient::close);
  }

  @ParameterizedTest(name = "{1} as {0}")
  @MethodSource("queries")
  void answersLikeAvatica(String user, Corpus.Query query) throws SQLException {
    FlightTestClient client = CLIENTS.computeIfAbsent(user, name -> FlightTestClient.connect(SERVER, name));

    List<List<Object>> expected =
        ResultRows.normalize(TestingGateway.rows(SERVER, "protobuf", user, query.sql(), query.paramArray()));
    List<List<Object>> actual = ResultRows.normalize(client.query(query.sql(), query.paramArray()));

    if (user.equals("admin")) {
      // Row filters may leave a user nothing (mia's customers are all in the EU); admin sees every row.
      assertThat(expected).as("Avatica rows of %s", query.name()).isNotEmpty();
    }

    if (ResultRows.isOrdered(query.sql())) {
      assertThat(actual).as(query.name()).containsExactlyElementsOf(expected);
    } else {
      assertThat(ResultRows.sorted(actual)).as(query.name()).containsExactlyElementsOf(ResultRows.sorted(expected));
    }
  }
}
