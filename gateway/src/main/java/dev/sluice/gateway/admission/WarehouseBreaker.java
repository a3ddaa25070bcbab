package dev.sluice.gateway.admission;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.CircuitBreakerPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warehouse's Resilience4j circuit breaker: while it is open, queries touching the warehouse
 * are refused at once with {@link ErrorCode#WAREHOUSE_UNAVAILABLE}; after its open time a few probe
 * queries are let through and close it again if they succeed. Each admitted query reports exactly
 * one outcome: a failure (connection failure, timeout), a success, or nothing to learn from.
 */
final class WarehouseBreaker {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseBreaker.class);

  private final String warehouse;
  private final CircuitBreakerPolicy policy;
  private final CircuitBreaker breaker;
  private final AdmissionListener listener;
  private volatile long openedAtNanos;
  private volatile int failuresWhenOpened;

  WarehouseBreaker(String warehouse, CircuitBreakerPolicy policy, AdmissionListener listener) {
    this.warehouse = requireNonNull(warehouse, "warehouse is null");
    this.policy = requireNonNull(policy, "policy is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.breaker = CircuitBreaker.of(
        "warehouse-" + warehouse,
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(policy.window())
            .minimumNumberOfCalls(policy.minimumCalls())
            .failureRateThreshold(policy.failureRatePercent())
            .waitDurationInOpenState(policy.openFor())
            .permittedNumberOfCallsInHalfOpenState(policy.halfOpenCalls())
            // No background thread: the first query after openFor moves it to half-open.
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .writableStackTraceEnabled(false)
            .build());
    breaker.getEventPublisher().onStateTransition(event -> {
      CircuitBreaker.State to = event.getStateTransition().getToState();
      if (to == CircuitBreaker.State.OPEN) {
        openedAtNanos = System.nanoTime();
        failuresWhenOpened = breaker.getMetrics().getNumberOfFailedCalls();
        LOG.warn("Circuit breaker of warehouse {} opened after {} failures; refusing its queries for {}",
            warehouse, failuresWhenOpened, policy.openFor());
      } else {
        LOG.info("Circuit breaker of warehouse {} is now {}", warehouse, stateLabel(to));
      }
    });
  }

  /** Lets a query through, or refuses it at once while the breaker is open. */
  void acquire() {
    if (breaker.tryAcquirePermission()) {
      return;
    }
    listener.rejected(LimitKind.WAREHOUSE, RejectionReason.CIRCUIT_OPEN, Optional.of(warehouse));
    Duration retryIn = retryIn();
    throw new GatewayException(
        ErrorCode.WAREHOUSE_UNAVAILABLE,
        "Warehouse '" + warehouse + "' is unavailable (circuit open after " + failuresWhenOpened
            + (failuresWhenOpened == 1 ? " failure" : " failures") + "); retry in " + Math.max(1, retryIn.toSeconds()) + "s",
        retryIn);
  }

  private Duration retryIn() {
    if (breaker.getState() != CircuitBreaker.State.OPEN) {
      // Half-open with every probe slot taken: the probes answer soon.
      return Duration.ofSeconds(1);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - openedAtNanos);
    Duration left = policy.openFor().minus(elapsed);
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  void succeeded(Duration elapsed) {
    breaker.onSuccess(elapsed.toNanos(), TimeUnit.NANOSECONDS);
  }

  void failed(Duration elapsed, Throwable cause) {
    breaker.onError(elapsed.toNanos(), TimeUnit.NANOSECONDS, cause);
  }

  /** The query taught nothing about the warehouse (canceled, refused elsewhere). */
  void released() {
    breaker.releasePermission();
  }

  String state() {
    return stateLabel(breaker.getState());
  }

  static String stateLabel(CircuitBreaker.State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
