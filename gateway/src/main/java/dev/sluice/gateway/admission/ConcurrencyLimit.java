package dev.sluice.gateway.admission;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.LimitConfig;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One limit on how many queries run at once, with a bounded FIFO queue in front of it: a
 * Resilience4j semaphore bulkhead with fair call handling (a fair semaphore, so waiters are served
 * in arrival order) gives the running slots and the bounded wait; the queue bound, which the
 * bulkhead does not have, is an occupancy count of running plus waiting queries.
 */
final class ConcurrencyLimit {
  /** How soon a caller refused by a full queue is told to try again. */
  private static final Duration RETRY_AFTER_FULL_QUEUE = Duration.ofSeconds(1);

  private final LimitKind kind;
  private final Optional<String> warehouse;
  private final String subject;
  private final String counted;
  private final LimitConfig config;
  private final Bulkhead bulkhead;
  private final AdmissionListener listener;
  // Running plus waiting; never above maxConcurrent + maxQueued.
  private final AtomicInteger occupancy = new AtomicInteger();

  /**
   * @param subject what the limit belongs to, as messages name it ("Warehouse 'dw'")
   * @param counted what it counts, plural ("concurrent statements")
   */
  ConcurrencyLimit(
      LimitKind kind,
      Optional<String> warehouse,
      String subject,
      String counted,
      LimitConfig config,
      AdmissionListener listener) {
    this.kind = requireNonNull(kind, "kind is null");
    this.warehouse = requireNonNull(warehouse, "warehouse is null");
    this.subject = requireNonNull(subject, "subject is null");
    this.counted = requireNonNull(counted, "counted is null");
    this.config = requireNonNull(config, "config is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.bulkhead = Bulkhead.of(
        kind.label() + "-" + subject,
        BulkheadConfig.custom()
            .maxConcurrentCalls(config.maxConcurrent())
            .maxWaitDuration(config.maxQueueWait())
            .fairCallHandlingStrategyEnabled(true)
            .writableStackTraceEnabled(false)
            .build());
  }

  /**
   * Takes a running slot, waiting in line for at most the limit's queue wait; refuses at once with
   * {@link ErrorCode#RESOURCE_EXHAUSTED} when the queue is full or the wait expires.
   */
  Permit acquire() {
    if (occupancy.incrementAndGet() > config.maxConcurrent() + config.maxQueued()) {
      occupancy.decrementAndGet();
      listener.rejected(kind, RejectionReason.QUEUE_FULL, warehouse);
      throw new GatewayException(
          ErrorCode.RESOURCE_EXHAUSTED,
          subject + " is at its limit of " + config.maxConcurrent() + " " + counted
              + (config.maxQueued() == 0 ? " and queues none" : " and its queue of " + config.maxQueued() + " is full"),
          RETRY_AFTER_FULL_QUEUE);
    }
    long start = System.nanoTime();
    boolean acquired;
    try {
      acquired = bulkhead.tryAcquirePermission();
    } catch (RuntimeException e) {
      occupancy.decrementAndGet();
      throw e;
    }
    if (!acquired) {
      occupancy.decrementAndGet();
      listener.rejected(kind, RejectionReason.WAIT_EXPIRED, warehouse);
      throw new GatewayException(
          ErrorCode.RESOURCE_EXHAUSTED,
          subject + " is at its limit of " + config.maxConcurrent() + " " + counted
              + " and no turn came within the queue wait of " + seconds(config.maxQueueWait()),
          config.maxQueueWait());
    }
    listener.admitted(kind, warehouse, Duration.ofNanos(System.nanoTime() - start));
    return new Permit(this);
  }

  int running() {
    return config.maxConcurrent() - bulkhead.getMetrics().getAvailableConcurrentCalls();
  }

  int queued() {
    return Math.max(0, occupancy.get() - running());
  }

  LimitConfig config() {
    return config;
  }

  private void release() {
    bulkhead.onComplete();
    occupancy.decrementAndGet();
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }

  /** A running slot; releasing it more than once releases it once. */
  static final class Permit {
    private final ConcurrencyLimit limit;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(ConcurrencyLimit limit) {
      this.limit = limit;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        limit.release();
      }
    }
  }
}
