package dev.sluice.gateway.frontend.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.ResultRows;
import dev.sluice.gateway.testing.TestingGateway;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole public corpus, as {@code admin}, {@code max} and {@code mia}, answers the same rows as
 * Arrow IPC over HTTP (read with Arrow's own stream reader) as through the stock Avatica driver;
 * masks and row filters included. Timestamps compare to the millisecond, all Avatica carries.
 */
class QueryRouteCorpusTest {
  private static GatewayServer server;

  @BeforeAll
  static void start() {
    server = TestingGateway.shared();
  }

  static Stream<Arguments> queries() {
    return Stream.of("admin", "max", "mia")
        .flatMap(user -> Corpus.load().stream().map(query -> Arguments.of(user, query)));
  }

  @ParameterizedTest(name = "{1} as {0}")
  @MethodSource("queries")
  void arrowOverHttpAnswersLikeAvatica(String user, Corpus.Query query) throws SQLException {
    HttpResponse<byte[]> response =
        QueryClient.post(server, user, QueryClient.ARROW, QueryClient.body(query.sql(), query.paramArray()));
    assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains(QueryClient.ARROW);
    assertThat(response.headers().firstValue(QueryRoute.QUERY_ID_HEADER)).isPresent();

    List<List<Object>> viaHttp = ResultRows.normalize(QueryClient.arrowRows(response.body()));
    List<List<Object>> viaAvatica =
        ResultRows.normalize(TestingGateway.rows(server, "protobuf", user, query.sql(), query.paramArray()));

    if (ResultRows.isOrdered(query.sql())) {
      assertThat(viaHttp).as(query.name()).containsExactlyElementsOf(viaAvatica);
    } else {
      assertThat(QueryClient.sorted(viaHttp)).as(query.name()).containsExactlyElementsOf(QueryClient.sorted(viaAvatica));
    }
  }
}
