package dev.sluice.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.dialects.postgresql.TestingPostgres;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.engine.QueryContext;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.policies.Principal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission against a real PostgreSQL warehouse limited to 4 concurrent statements and a queue of
 * 8, through the stock Avatica driver: what the warehouse sees (sampled from {@code
 * pg_stat_activity} on a separate connection), what clients get, and what {@code /metrics} says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AdmissionPostgresTest {
  private static final String SLOW = "SELECT COUNT(*) FROM slow_items";

  private EmbeddedPostgres postgres;
  private GatewayServer server;

  @BeforeAll
  void start(@TempDir Path directory) throws Exception {
    postgres = TestingPostgres.start();
    AdmissionTestbed.createTables(postgres);
    server = new GatewayServer(AdmissionTestbed.config(directory, postgres.getPort(), ""));
    server.start();
  }

  @AfterAll
  void stop() throws Exception {
    try (EmbeddedPostgres closing = postgres) {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void sixtyFourClientsNeverPutMoreThanFourStatementsOnTheWarehouse() throws Exception {
    PrometheusText before = PrometheusText.scrape(server.httpPort());
    int clients = AdmissionTestbed.LOAD_USERS;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicBoolean sampling = new AtomicBoolean(true);
    AtomicInteger maxActive = new AtomicInteger();
    List<Connection> connections = new ArrayList<>();
    try (Connection direct = postgres.getPostgresDatabase().getConnection()) {
      // Connected first, so that the queries themselves arrive together.
      for (int i = 0; i < clients; i++) {
        connections.add(AdmissionTestbed.connect(server, AdmissionTestbed.loadUser(i)));
      }
      Future<?> sampler = Executors.newSingleThreadExecutor().submit(() -> {
        while (sampling.get()) {
          maxActive.accumulateAndGet(AdmissionTestbed.activeStatements(direct, "slow_items"), Math::max);
          Thread.sleep(10);
        }
        return null;
      });
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Connection connection : connections) {
        futures.add(pool.submit(() -> {
          go.await();
          long start = System.nanoTime();
          try (var statement = connection.createStatement(); var rs = statement.executeQuery(SLOW)) {
            rs.next();
            return new Outcome(Optional.of(rs.getLong(1)), Optional.empty(), "", elapsed(start));
          } catch (SQLException e) {
            return new Outcome(Optional.empty(), Optional.ofNullable(e.getSQLState()), e.getMessage(), elapsed(start));
          }
        }));
      }
      go.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> future : futures) {
        outcomes.add(future.get(60, TimeUnit.SECONDS));
      }
      sampling.set(false);
      sampler.get(10, TimeUnit.SECONDS);

      List<Outcome> succeeded = outcomes.stream().filter(o -> o.count().isPresent()).toList();
      List<Outcome> refused = outcomes.stream().filter(o -> o.count().isEmpty()).toList();
      assertThat(succeeded).allSatisfy(o -> assertThat(o.count()).contains((long) AdmissionTestbed.ITEMS));
      // Four at once, eight waiting: at least the first twelve get through.
      assertThat(succeeded).hasSizeGreaterThanOrEqualTo(12);
      assertThat(refused).isNotEmpty().allSatisfy(o -> {
        assertThat(o.sqlState()).contains("53000");
        assertThat(o.message()).contains("Warehouse 'pg' is at its limit of 4 concurrent statements");
        // Refused at once when the queue is full, or when the 3 s queue wait expires.
        assertThat(o.elapsed()).isLessThan(Duration.ofSeconds(5));
      });
      assertThat(maxActive.get()).isBetween(1, 4);
      System.out.printf("Load test: %d succeeded, %d refused, at most %d statements active on PostgreSQL%n",
          succeeded.size(), refused.size(), maxActive.get());

      PrometheusText after = PrometheusText.scrape(server.httpPort());
      assertThat(delta(before, after, "sluice_queries_total",
          "protocol", "avatica", "warehouse", "pg", "outcome", "success")).isEqualTo(succeeded.size());
      assertThat(delta(before, after, "sluice_queries_total",
          "protocol", "avatica", "warehouse", "pg", "outcome", "resource_exhausted")).isEqualTo(refused.size());
      double rejections = delta(before, after, "sluice_admission_rejections_total",
          "limit", "warehouse", "reason", "queue_full", "warehouse", "pg")
          + delta(before, after, "sluice_admission_rejections_total",
          "limit", "warehouse", "reason", "wait_expired", "warehouse", "pg");
      assertThat(rejections).isEqualTo(refused.size());
      assertThat(delta(before, after, "sluice_queue_wait_seconds_count", "limit", "warehouse", "warehouse", "pg"))
          .isEqualTo(succeeded.size());
      assertThat(delta(before, after, "sluice_rows_streamed_total", "protocol", "avatica"))
          .isEqualTo(succeeded.size());
      assertThat(after.value("sluice_bytes_streamed_total", "protocol", "avatica"))
          .isGreaterThan(before.value("sluice_bytes_streamed_total", "protocol", "avatica"));
      assertThat(after.value("sluice_warehouse_statements_running", "warehouse", "pg")).isZero();
      assertThat(after.value("sluice_warehouse_statements_queued", "warehouse", "pg")).isZero();
      assertThat(after.value("sluice_warehouse_statements_limit", "warehouse", "pg")).isEqualTo(4);
      assertThat(after.value("sluice_circuit_breaker_state", "warehouse", "pg", "state", "closed")).isEqualTo(1);
      assertThat(after.value("hikaricp_active_connections", "pool", "postgresql-pg")).isZero();
      assertThat(after.value("hikaricp_max_connections", "pool", "postgresql-pg")).isEqualTo(5);
      assertThat(after.has("jvm_memory_bytes_used")).isTrue();
    } finally {
      for (Connection connection : connections) {
        connection.close();
      }
      pool.shutdownNow();
    }
  }

  @Test
  void oneUserFloodingDoesNotStopAnother() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<Optional<String>>> flood = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        flood.add(pool.submit(() -> {
          try {
            AdmissionTestbed.count(server, "flood", SLOW);
            return Optional.<String>empty();
          } catch (SQLException e) {
            return Optional.of(e.getSQLState() + " " + e.getMessage());
          }
        }));
      }
      // While flood's queries hold its three slots and fill its queue, calm's run.
      Thread.sleep(200);
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        assertThat(AdmissionTestbed.count(server, "calm", "SELECT COUNT(*) FROM items")).isEqualTo(AdmissionTestbed.ITEMS);
        assertThat(elapsed(start)).isLessThan(Duration.ofSeconds(3));
      }
      List<String> refusals = new ArrayList<>();
      for (Future<Optional<String>> future : flood) {
        future.get(60, TimeUnit.SECONDS).ifPresent(refusals::add);
      }
      assertThat(refusals).isNotEmpty().allSatisfy(refusal -> assertThat(refusal)
          .startsWith("53000")
          .contains("User 'flood' is at its limit of 3 concurrent queries"));
      assertThat(refusals.size()).isLessThanOrEqualTo(5);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aQueryPastItsRoleTimeoutIsCanceledOnTheWarehouse() throws Exception {
    long start = System.nanoTime();
    assertThatThrownBy(() -> AdmissionTestbed.count(server, "slowpoke", "SELECT COUNT(*) FROM very_slow_items"))
        .isInstanceOfSatisfying(SQLException.class, e -> {
          assertThat(e.getSQLState()).isEqualTo("57014");
          assertThat(e.getMessage()).contains("exceeded its timeout of 1.0 s");
        });
    assertThat(elapsed(start)).isLessThan(Duration.ofSeconds(10));
    assertReleased("very_slow_items");
  }

  @Test
  void theClientsTimeoutWinsWhenItIsSmaller() throws Exception {
    Principal admin = new Principal("admin", Set.of("admin"), Map.of());
    QueryPlan plan = server.engine().prepare(admin, "SELECT COUNT(*) FROM very_slow_items");
    long start = System.nanoTime();
    assertThatThrownBy(() -> {
          try (QueryCursor cursor = server.engine().execute(
              QueryContext.embedded(admin), plan, List.of(), Optional.of(Duration.ofMillis(500)))) {
            cursor.fetch(10);
          }
        })
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.getMessage()).contains("timeout of 0.5 s"));
    assertThat(elapsed(start)).isLessThan(Duration.ofSeconds(10));
    assertReleased("very_slow_items");
  }

  @Test
  void aCanceledQueryGivesItsSlotAndConnectionBackAtOnce() throws Exception {
    Principal admin = new Principal("admin", Set.of("admin"), Map.of());
    QueryPlan plan = server.engine().prepare(admin, "SELECT id FROM items ORDER BY id");
    QueryCursor cursor = server.engine().execute(QueryContext.embedded(admin), plan, List.of(), Optional.empty());
    assertThat(server.admission().load("pg").orElseThrow().running()).isEqualTo(1);
    assertThat(cursor.fetch(1)).hasSize(1);
    // Not closed: cancel alone returns the slot and the connection.
    cursor.cancel();
    assertReleased("ORDER BY");
    assertThatThrownBy(() -> cursor.fetch(1))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
    cursor.close();
  }

  /** Within a few seconds: no statement left on PostgreSQL, no slot held, no pooled connection out. */
  private void assertReleased(String marker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try (Connection direct = postgres.getPostgresDatabase().getConnection()) {
      while (true) {
        PrometheusText metrics = PrometheusText.scrape(server.httpPort());
        int active = AdmissionTestbed.activeStatements(direct, marker);
        double running = metrics.value("sluice_warehouse_statements_running", "warehouse", "pg");
        double connections = metrics.value("hikaricp_active_connections", "pool", "postgresql-pg");
        if (active == 0 && running == 0 && connections == 0) {
          return;
        }
        assertThat(System.nanoTime())
            .as("still active on PostgreSQL: %d, slots held: %s, pooled connections out: %s", active, running, connections)
            .isLessThan(deadline);
        Thread.sleep(50);
      }
    }
  }

  private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private record Outcome(Optional<Long> count, Optional<String> sqlState, String message, Duration elapsed) {}
}
