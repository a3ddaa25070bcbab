package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.policies.Principal;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.flight.CancelStatus;

/**
 * One execution a Flight client may read once, named by the ticket of a {@code FlightInfo}: the
 * plan and parameter values it runs with and, while its result streams, the running cursor, so a
 * cancel from another call (or an eviction) reaches the warehouse statement.
 *
 * <p>Only the stream closes the cursor: closing it from another thread could free the batch the
 * stream is sending. Everyone else cancels it, which makes the stream stop and close it.
 */
final class QueryTicket {
  private enum State { PENDING, RUNNING, CANCELED, DONE }

  /** What a ticket that is unknown, read, expired or another caller's answers: it does not exist. */
  static final String NOT_FOUND = "No such ticket (already read, expired or never issued)";

  private final String id;
  private final Principal owner;
  private final QueryPlan plan;
  private final List<Object> parameters;
  // Guarded by this.
  private State state = State.PENDING;
  private QueryCursor cursor;
  private Runnable onCancel = () -> {};

  QueryTicket(String id, Principal owner, QueryPlan plan, List<Object> parameters) {
    this.id = requireNonNull(id, "id is null");
    this.owner = requireNonNull(owner, "owner is null");
    this.plan = requireNonNull(plan, "plan is null");
    // Values may be NULL, which List.copyOf refuses.
    this.parameters = Arrays.asList(requireNonNull(parameters, "parameters is null").toArray());
  }

  String id() {
    return id;
  }

  Principal owner() {
    return owner;
  }

  QueryPlan plan() {
    return plan;
  }

  List<Object> parameters() {
    return parameters;
  }

  /**
   * Claims the ticket for one stream; {@code stop} tells that stream to stop.
   *
   * @throws GatewayException when the ticket was canceled, or is being or has been read (then as
   *     if it did not exist)
   */
  synchronized void start(Runnable stop) {
    requireNonNull(stop, "stop is null");
    switch (state) {
      case PENDING -> {
        state = State.RUNNING;
        onCancel = stop;
      }
      case CANCELED -> throw new GatewayException(ErrorCode.QUERY_CANCELED, "The query was canceled");
      // Read to its end: gone, even if the ticket cache has not forgotten it yet.
      case DONE -> throw new GatewayException(ErrorCode.NO_SUCH_STATEMENT, NOT_FOUND);
      default -> throw new GatewayException(
          ErrorCode.INVALID_QUERY, "The ticket was already read; get a new one with GetFlightInfo");
    }
  }

  /** Records the running cursor; false (and the cursor canceled) when the ticket was canceled meanwhile. */
  boolean attach(QueryCursor running) {
    requireNonNull(running, "running is null");
    synchronized (this) {
      if (state == State.RUNNING) {
        cursor = running;
        return true;
      }
    }
    running.cancel();
    return false;
  }

  /** Marks the stream finished; later cancels have nothing to do. */
  synchronized void finish() {
    state = State.DONE;
    cursor = null;
  }

  /** Cancels the execution: before it starts it never will; while it streams its warehouse statement is canceled. */
  CancelStatus cancel() {
    QueryCursor running;
    Runnable stop;
    synchronized (this) {
      switch (state) {
        case PENDING -> {
          state = State.CANCELED;
          return CancelStatus.CANCELLED;
        }
        case RUNNING -> {
          state = State.CANCELED;
          running = cursor;
          stop = onCancel;
        }
        default -> {
          return CancelStatus.NOT_CANCELLABLE;
        }
      }
    }
    // Outside the lock: cancel() interrupts the warehouse and must not wait for the stream.
    if (running != null) {
      running.cancel();
    }
    stop.run();
    return CancelStatus.CANCELLED;
  }
}
