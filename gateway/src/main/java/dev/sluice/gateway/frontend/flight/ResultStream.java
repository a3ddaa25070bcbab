package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.ArrowBatches;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryEngine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one ticket's result to one Flight client, on a thread of the frontend's stream executor
 * (never gRPC's): runs the query, then sends its Arrow batches, waiting for the client to be ready
 * for each one so that a slow client slows the warehouse fetch instead of filling the heap.
 *
 * <p>Every end is explicit: the last batch is followed by {@code completed()}, any failure (even
 * after batches were sent) by {@code error()}, so a stream cut short never looks complete. A
 * client that cancels, a CancelFlightInfo and the ticket's eviction all cancel the warehouse
 * statement; whatever happens, the cursor and the query's memory are released on the way out.
 */
final class ResultStream implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultStream.class);
  /** How long one wait for readiness lasts before rechecking; signals normally end it sooner. */
  static final Duration READY_POLL = Duration.ofMillis(200);

  private final QueryEngine engine;
  private final BufferAllocator allocator;
  private final FlightStatements statements;
  private final FlightCaller caller;
  private final QueryTicket ticket;
  private final ServerStreamListener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile boolean stopped;
  private final LongConsumer bytesStreamed;

  ResultStream(
      QueryEngine engine,
      BufferAllocator allocator,
      FlightStatements statements,
      FlightCaller caller,
      QueryTicket ticket,
      ServerStreamListener listener,
      LongConsumer bytesStreamed) {
    this.bytesStreamed = requireNonNull(bytesStreamed, "bytesStreamed is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.statements = requireNonNull(statements, "statements is null");
    this.caller = requireNonNull(caller, "caller is null");
    this.ticket = requireNonNull(ticket, "ticket is null");
    this.listener = requireNonNull(listener, "listener is null");
  }

  /** Hooks the stream to its listener; called on the gRPC thread before the stream is submitted. */
  void install() {
    listener.setOnReadyHandler(this::signal);
    // The ticket cancels the cursor (interrupting a fetch in progress) and then calls stop().
    listener.setOnCancelHandler(ticket::cancel);
  }

  /** Makes the stream give up at its next step; any thread. */
  void stop() {
    stopped = true;
    signal();
  }

  @Override
  public void run() {
    BufferAllocator queryMemory = null;
    QueryCursor cursor = null;
    try {
      if (stopped || listener.isCancelled()) {
        // Canceled while waiting for a thread: do not start the query at all.
        throw canceled();
      }
      queryMemory = allocator.newChildAllocator("flight-query-" + ticket.id(), 0, Long.MAX_VALUE);
      long deadline = System.nanoTime() + engine.config().queryTimeout().toNanos();
      cursor = engine.execute(caller.queryContext(), ticket.plan(), ticket.parameters(), Optional.empty());
      if (!ticket.attach(cursor)) {
        throw canceled();
      }
      ArrowBatches batches = cursor.arrow(queryMemory, engine.config().arrowBatchRows());
      listener.start(batches.root());
      while (batches.next()) {
        awaitReady(deadline);
        listener.putNext();
        bytesStreamed.accept(ArrowBatches.bodyBytes(batches.root()));
        statements.touch(ticket);
      }
      // Forgotten before the client hears the end, so that reading it again finds no ticket.
      end();
      listener.completed();
    } catch (RuntimeException e) {
      if (cursor != null) {
        cursor.cancel();
      }
      end();
      fail(e);
    } finally {
      end();
      if (cursor != null) {
        cursor.close();
      }
      if (queryMemory != null) {
        release(queryMemory);
      }
    }
  }

  /** Marks the ticket read and forgets it; again does nothing. */
  private void end() {
    ticket.finish();
    statements.finished(ticket);
  }

  private void awaitReady(long deadline) {
    lock.lock();
    try {
      while (!stopped && !listener.isCancelled() && !listener.isReady()) {
        if (System.nanoTime() - deadline > 0) {
          throw new GatewayException(
              ErrorCode.QUERY_TIMEOUT,
              "The client did not read the result within the query timeout of "
                  + engine.config().queryTimeout().toSeconds() + " s");
        }
        // Timed: a missed signal costs one poll, and the deadline is checked between polls.
        changed.await(READY_POLL.toMillis(), TimeUnit.MILLISECONDS);
        statements.touch(ticket);
      }
    } catch (InterruptedException e) {
      // The frontend is shutting down.
      Thread.currentThread().interrupt();
      throw canceled();
    } finally {
      lock.unlock();
    }
    if (stopped || listener.isCancelled()) {
      throw canceled();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void fail(RuntimeException failure) {
    if (listener.isCancelled()) {
      // The client is gone: there is nobody to tell.
      LOG.debug("Flight stream {} ended after the client canceled: {}", ticket.id(), failure.toString());
      return;
    }
    try {
      listener.error(FlightErrors.toFlight(failure));
    } catch (RuntimeException e) {
      LOG.debug("Could not report a failure to the Flight client: {}", e.toString());
    }
  }

  private static GatewayException canceled() {
    return new GatewayException(ErrorCode.QUERY_CANCELED, "The query was canceled");
  }

  private void release(BufferAllocator queryMemory) {
    try {
      queryMemory.close();
    } catch (IllegalStateException e) {
      // Memory still held means a bug, not a client error; the query itself has ended.
      LOG.warn("Flight stream {} did not free all of its Arrow memory: {}", ticket.id(), e.getMessage());
    }
  }
}
