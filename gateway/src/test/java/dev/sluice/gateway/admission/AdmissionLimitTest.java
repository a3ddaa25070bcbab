package dev.sluice.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.CircuitBreakerPolicy;
import dev.sluice.gateway.config.EngineConfig;
import dev.sluice.gateway.config.LimitConfig;
import dev.sluice.gateway.config.LimitsConfig;
import dev.sluice.gateway.config.RoleLimits;
import dev.sluice.gateway.config.WarehouseAdmission;
import dev.sluice.gateway.config.WarehouseConfig;
import dev.sluice.policies.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Limits, queues and breakers on their own, without a warehouse: order, bounds, waits, release. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AdmissionLimitTest {
  private static final Duration LONG_WAIT = Duration.ofSeconds(10);
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());

  @Test
  void waitersAreServedInArrivalOrder() throws Exception {
    ConcurrencyLimit limit = limit(new LimitConfig(1, 5, LONG_WAIT));
    ConcurrencyLimit.Permit first = limit.acquire();
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(5);
    try {
      List<Future<?>> waiters = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int index = i;
        waiters.add(threads.submit(() -> {
          ConcurrencyLimit.Permit permit = limit.acquire();
          order.add(index);
          permit.release();
        }));
        // Each waiter is in line before the next one arrives.
        awaitQueued(limit, i + 1);
      }
      first.release();
      for (Future<?> waiter : waiters) {
        waiter.get(10, TimeUnit.SECONDS);
      }
      assertThat(order).containsExactly(0, 1, 2, 3, 4);
      assertThat(limit.running()).isZero();
      assertThat(limit.queued()).isZero();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aFullQueueRefusesAtOnceNamingTheLimit() throws Exception {
    ConcurrencyLimit limit = limit(new LimitConfig(2, 1, LONG_WAIT));
    limit.acquire();
    limit.acquire();
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try {
      threads.submit(limit::acquire);
      awaitQueued(limit, 1);
      long start = System.nanoTime();
      assertThatThrownBy(limit::acquire).isInstanceOfSatisfying(GatewayException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(e.sqlState()).isEqualTo("53000");
        assertThat(e.getMessage())
            .isEqualTo("Warehouse 'dw' is at its limit of 2 concurrent statements and its queue of 1 is full");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
      });
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anExpiredWaitRefusesAfterTheQueueWait() {
    ConcurrencyLimit limit = limit(new LimitConfig(1, 4, Duration.ofMillis(300)));
    limit.acquire();
    long start = System.nanoTime();
    assertThatThrownBy(limit::acquire).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
      assertThat(e.getMessage()).isEqualTo(
          "Warehouse 'dw' is at its limit of 1 concurrent statements and no turn came within the queue wait of 300 ms");
      assertThat(e.retryAfter()).contains(Duration.ofMillis(300));
    });
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    assertThat(waited).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    assertThat(limit.queued()).isZero();
  }

  @Test
  void aPermitReleasedTwiceIsReleasedOnce() {
    ConcurrencyLimit limit = limit(new LimitConfig(2, 0, LONG_WAIT));
    ConcurrencyLimit.Permit permit = limit.acquire();
    limit.acquire();
    permit.release();
    permit.release();
    assertThat(limit.running()).isEqualTo(1);
  }

  @Test
  void aRefusalAtALaterLimitGivesBackTheSlotsAlreadyTaken() {
    LimitsConfig limits = LimitsConfig.defaults()
        .withRole("marketer", new RoleLimits(Optional.of(new LimitConfig(1, 0, LONG_WAIT)), Optional.empty()));
    Admission admission = new Admission(limits, List.of(warehouse("dw")), EngineConfig.defaults(), AdmissionListener.NONE);
    AdmissionTicket held = admission.admit(MAX, List.of("dw"));
    assertThatThrownBy(() -> admission.admit(MAX, List.of("dw")))
        .hasMessage("Role 'marketer' is at its limit of 1 concurrent queries and queues none");
    assertThat(admission.running()).isEqualTo(1);
    assertThat(admission.load("dw").orElseThrow().running()).isEqualTo(1);
    held.release(Optional.empty());
    held.release(Optional.empty());
    assertThat(admission.running()).isZero();
    assertThat(admission.load("dw").orElseThrow().running()).isZero();
  }

  @Test
  void theLongestRoleTimeoutAppliesAndTheEngineDefaultOtherwise() {
    LimitsConfig limits = LimitsConfig.defaults()
        .withRoleTimeout("marketer", Duration.ofSeconds(60))
        .withRoleTimeout("analyst", Duration.ofSeconds(20));
    Admission admission = new Admission(limits, List.of(), EngineConfig.defaults(), AdmissionListener.NONE);
    assertThat(admission.queryTimeout(new Principal("a", Set.of("analyst"), Map.of()))).isEqualTo(Duration.ofSeconds(20));
    assertThat(admission.queryTimeout(new Principal("b", Set.of("analyst", "marketer"), Map.of())))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(admission.queryTimeout(new Principal("c", Set.of("admin"), Map.of())))
        .isEqualTo(EngineConfig.DEFAULT_QUERY_TIMEOUT);
  }

  @Test
  void anOpenBreakerRefusesItsWarehouseAtOnceAndHalfOpenProbesCloseIt() throws Exception {
    CircuitBreakerPolicy breaker = new CircuitBreakerPolicy(50, 2, 2, Duration.ofMillis(500), 1);
    Admission admission = new Admission(
        LimitsConfig.defaults(),
        List.of(warehouse("pg").withAdmission(WarehouseAdmission.defaults(4).withCircuitBreaker(breaker)), warehouse("dw")),
        EngineConfig.defaults(),
        AdmissionListener.NONE);
    for (int i = 0; i < 2; i++) {
      admission.admit(MAX, List.of("pg")).release(Optional.of(ErrorCode.WAREHOUSE_UNAVAILABLE));
    }
    assertThatThrownBy(() -> admission.admit(MAX, List.of("pg")))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.WAREHOUSE_UNAVAILABLE);
          assertThat(e.getMessage()).isEqualTo("Warehouse 'pg' is unavailable (circuit open after 2 failures); retry in 1s");
          assertThat(e.retryAfter()).isPresent();
        });
    // A query touching both warehouses is refused too, without holding any slot.
    assertThatThrownBy(() -> admission.admit(MAX, List.of("dw", "pg"))).hasMessageContaining("circuit open");
    assertThat(admission.running()).isZero();
    admission.admit(MAX, List.of("dw")).release(Optional.empty());
    assertThat(admission.load("pg").orElseThrow().breakerState()).isEqualTo("open");

    Thread.sleep(600);
    AdmissionTicket probe = admission.admit(MAX, List.of("pg"));
    assertThat(admission.load("pg").orElseThrow().breakerState()).isEqualTo("half_open");
    probe.release(Optional.empty());
    assertThat(admission.load("pg").orElseThrow().breakerState()).isEqualTo("closed");
  }

  @Test
  void aFederatedConnectionFailureCountsOnlyAgainstTheWarehouseThatFailed() {
    CircuitBreakerPolicy breaker = new CircuitBreakerPolicy(50, 1, 1, LONG_WAIT, 1);
    WarehouseAdmission protection = WarehouseAdmission.defaults(4).withCircuitBreaker(breaker);
    Admission admission = new Admission(
        LimitsConfig.defaults(),
        List.of(warehouse("pg").withAdmission(protection), warehouse("dw").withAdmission(protection)),
        EngineConfig.defaults(),
        AdmissionListener.NONE);
    AdmissionTicket ticket = admission.admit(MAX, List.of("pg", "dw"));
    ticket.connectionFailed("pg");
    ticket.release(Optional.of(ErrorCode.WAREHOUSE_UNAVAILABLE));
    assertThat(admission.load("pg").orElseThrow().breakerState()).isEqualTo("open");
    assertThat(admission.load("dw").orElseThrow().breakerState()).isEqualTo("closed");
    // A user's own error says nothing against the warehouse.
    admission.admit(MAX, List.of("dw")).release(Optional.of(ErrorCode.QUERY_CANCELED));
    assertThat(admission.load("dw").orElseThrow().breakerState()).isEqualTo("closed");
  }

  private static ConcurrencyLimit limit(LimitConfig config) {
    return new ConcurrencyLimit(
        LimitKind.WAREHOUSE, Optional.of("dw"), "Warehouse 'dw'", "concurrent statements", config, AdmissionListener.NONE);
  }

  private static WarehouseConfig warehouse(String name) {
    return new WarehouseConfig(name, "duckdb", 5, Map.of("path", "/unused"));
  }

  private static void awaitQueued(ConcurrencyLimit limit, int queued) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (limit.queued() < queued) {
      assertThat(System.nanoTime()).as("waiting for %d queued", queued).isLessThan(deadline);
      Thread.sleep(5);
    }
    // queued() counts a thread once it passed the queue bound; give it time to park in the semaphore.
    Thread.sleep(50);
  }
}
