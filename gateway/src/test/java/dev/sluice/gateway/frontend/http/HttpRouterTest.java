package dev.sluice.gateway.frontend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact paths win over prefixes, the longest prefix wins, and a prefix alone names nothing. */
class HttpRouterTest {
  private final HttpRoute exact = exchange -> {};
  private final HttpRoute under = exchange -> {};
  private final HttpRoute deeper = exchange -> {};
  private final HttpRouter router = new HttpRouter(List.of(
      new HttpEndpoint(HttpMethod.GET, "/audit/api/queries", exact),
      new HttpEndpoint(HttpMethod.GET, "/audit/api/queries/*", under),
      new HttpEndpoint(HttpMethod.GET, "/audit/api/queries/x/*", deeper)));

  @Test
  void routesExactPathsThenTheLongestPrefix() {
    assertThat(router.route(HttpMethod.GET, "/audit/api/queries").map(HttpEndpoint::route)).containsSame(exact);
    assertThat(router.route(HttpMethod.GET, "/audit/api/queries/abc").map(HttpEndpoint::route)).containsSame(under);
    assertThat(router.route(HttpMethod.GET, "/audit/api/queries/x/1").map(HttpEndpoint::route)).containsSame(deeper);
    assertThat(router.route(HttpMethod.GET, "/audit/api/queries/").map(HttpEndpoint::route)).isEmpty();
    assertThat(router.route(HttpMethod.POST, "/audit/api/queries/abc").map(HttpEndpoint::route)).isEmpty();
    assertThat(router.route(HttpMethod.GET, "/audit/api/queriesabc").map(HttpEndpoint::route)).isEmpty();
  }

  @Test
  void aWildcardMayOnlyEndAPath() {
    assertThatThrownBy(() -> new HttpEndpoint(HttpMethod.GET, "/a*", exact)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HttpEndpoint(HttpMethod.GET, "/a/*/b", exact)).isInstanceOf(IllegalArgumentException.class);
  }
}
