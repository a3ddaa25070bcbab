package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.admission.AdmissionTicket;
import dev.sluice.gateway.metrics.GatewayMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The end of one execution, whichever path gets there first (last row read, failure, cancel,
 * timeout, close): returns its admission slots and records it in the metrics, exactly once.
 */
final class QueryLifecycle {
  private final GatewayMetrics metrics;
  private final Protocol protocol;
  private final String warehouseLabel;
  private final long startNanos;
  private volatile AdmissionTicket ticket = AdmissionTicket.none();
  private final AtomicBoolean ended = new AtomicBoolean();

  QueryLifecycle(GatewayMetrics metrics, Protocol protocol, String warehouseLabel) {
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.protocol = requireNonNull(protocol, "protocol is null");
    this.warehouseLabel = requireNonNull(warehouseLabel, "warehouseLabel is null");
    this.startNanos = System.nanoTime();
  }

  void admitted(AdmissionTicket admitted) {
    this.ticket = requireNonNull(admitted, "admitted is null");
  }

  AdmissionTicket ticket() {
    return ticket;
  }

  void rows(long count) {
    metrics.rowsStreamed(protocol, count);
  }

  boolean ended() {
    return ended.get();
  }

  void succeeded() {
    end(Optional.empty());
  }

  void failed(ErrorCode code) {
    end(Optional.of(code));
  }

  private void end(Optional<ErrorCode> failure) {
    if (ended.compareAndSet(false, true)) {
      ticket.release(failure);
      metrics.queryFinished(protocol, warehouseLabel, failure, Duration.ofNanos(System.nanoTime() - startNanos));
    }
  }
}
