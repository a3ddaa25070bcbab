package dev.sluice.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.LimitConfig;
import dev.sluice.gateway.config.LimitsConfig;
import dev.sluice.gateway.engine.Protocol;
import dev.sluice.gateway.engine.QueryContext;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One user queueing more queries than there are HTTP handler threads must not make the gateway
 * look dead: {@code /healthz}, {@code /readyz} and {@code /metrics} run on threads of their own.
 */
class ProbeLaneTest {
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());
  private static final int HANDLER_THREADS = 32;

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void probesAnswerWhileOneUsersQueuedQueriesHoldEveryHandlerThread() throws Exception {
    LimitConfig oneAtATime = new LimitConfig(1, 64, Duration.ofSeconds(30));
    try (GatewayServer server = new GatewayServer(TestingGateway.demoConfig(
        config -> withHandlerThreads(config.withLimits(LimitsConfig.defaults().withPerUser(oneAtATime)), HANDLER_THREADS)))) {
      server.start();
      List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
      try (QueryCursor holding = holdMaxsOnlySlot(server)) {
        queueMaxsQueries(server, HANDLER_THREADS + 4, queued);
        awaitHandlersWaiting();

        HttpResponse<String> health = client.send(get(server, "/healthz"), HttpResponse.BodyHandlers.ofString());
        server.readiness().refreshAll();
        HttpResponse<String> ready = client.send(get(server, "/readyz"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics = client.send(get(server, "/metrics"), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("sluice_queries_total");
        assertThat(queued).noneMatch(CompletableFuture::isDone);
      }
      // The slot is free: the queued queries run one after another.
      for (CompletableFuture<HttpResponse<String>> response : queued) {
        assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
    }
  }

  /**
   * One user with every query its limits allow (one running, 40 queued) must not hold every handler
   * thread: by default the listener keeps 32 beyond what one user can have, so another user's query
   * is answered while the first user's wait.
   */
  @Test
  void anotherUsersQueryIsAnsweredWhileOneUserHasItsWholeQueue() throws Exception {
    int queuedPerUser = 40;
    LimitConfig oneAtATime = new LimitConfig(1, queuedPerUser, Duration.ofSeconds(30));
    try (GatewayServer server = new GatewayServer(TestingGateway.demoConfig(
        config -> config.withLimits(LimitsConfig.defaults().withPerUser(oneAtATime))))) {
      server.start();
      List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
      try (QueryCursor holding = holdMaxsOnlySlot(server)) {
        queueMaxsQueries(server, queuedPerUser, queued);
        awaitHandlersWaiting(queuedPerUser);

        HttpResponse<String> other = client.sendAsync(
                query(server, "mia", "SELECT COUNT(*) AS n FROM cdp.products"), HttpResponse.BodyHandlers.ofString())
            .get(20, TimeUnit.SECONDS);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).contains("2000");
        assertThat(queued).noneMatch(CompletableFuture::isDone);
      }
      for (CompletableFuture<HttpResponse<String>> response : queued) {
        assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
    }
  }

  /** Max's one query slot, taken by a query that stays open until the cursor is closed. */
  private static QueryCursor holdMaxsOnlySlot(GatewayServer server) {
    QueryEngine engine = server.engine();
    QueryContext context = new QueryContext(MAX, Protocol.HTTP, Optional.of("127.0.0.1"), Optional.empty());
    QueryCursor holding = engine.execute(
        context, engine.prepare(context, "SELECT order_id FROM cdp.purchases"), List.of(), Optional.empty());
    assertThat(holding.fetch(10)).hasSize(10);
    return holding;
  }

  /** Sends {@code count} of max's queries over HTTP; they wait for his slot. */
  private void queueMaxsQueries(
      GatewayServer server, int count, List<CompletableFuture<HttpResponse<String>>> queued) {
    for (int i = 0; i < count; i++) {
      queued.add(client.sendAsync(query(server, "SELECT COUNT(*) FROM cdp.customers"),
          HttpResponse.BodyHandlers.ofString()));
    }
  }

  private static dev.sluice.gateway.config.GatewayConfig withHandlerThreads(
      dev.sluice.gateway.config.GatewayConfig config, int threads) {
    return config.withListeners(new dev.sluice.gateway.config.ListenersConfig(
        config.listeners().http().withHandlerThreads(threads), config.listeners().flight()));
  }

  /** Waits until every handler thread is parked (the queries wait in the admission queue). */
  private static void awaitHandlersWaiting() throws InterruptedException {
    awaitHandlersWaiting(HANDLER_THREADS);
  }

  /** Waits until {@code expected} handler threads are parked in the admission queue. */
  private static void awaitHandlersWaiting(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      long waiting = Thread.getAllStackTraces().keySet().stream()
          .filter(thread -> thread.getName().startsWith("sluice-http-handler"))
          .filter(thread -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING)
          .filter(thread -> List.of(thread.getStackTrace()).stream()
              .anyMatch(frame -> frame.getClassName().contains("admission")))
          .count();
      if (waiting >= expected) {
        return;
      }
      assertThat(System.nanoTime()).as("%d handler threads waiting for admission", expected)
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static HttpRequest query(GatewayServer server, String sql) {
    return query(server, "max", sql);
  }

  private static HttpRequest query(GatewayServer server, String user, String sql) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/v1/query"))
        .header("Authorization", basic(user))
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"" + sql + "\"}"))
        .build();
  }

  private static HttpRequest get(GatewayServer server, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .timeout(Duration.ofSeconds(5))
        .GET()
        .build();
  }

  private static String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-demo").getBytes(StandardCharsets.UTF_8));
  }
}
