package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.QueryEngine;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ResultStream}s on the frontend's own bounded executor, so that gRPC's threads never
 * wait for a warehouse or a slow client. A full executor refuses new streams at once with
 * RESOURCE_EXHAUSTED instead of queueing without bound.
 */
final class ResultStreams implements AutoCloseable {
  /** Streams sending at once; each holds a warehouse connection while it runs. */
  static final int THREADS = 64;
  /** Streams waiting for a thread before new ones are refused. */
  static final int QUEUE = 256;
  static final long SHUTDOWN_SECONDS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(ResultStreams.class);

  private final QueryEngine engine;
  private final BufferAllocator allocator;
  private final FlightStatements statements;
  private final ThreadPoolExecutor executor;

  private final LongConsumer bytesStreamed;

  ResultStreams(
      QueryEngine engine, BufferAllocator allocator, FlightStatements statements, LongConsumer bytesStreamed) {
    this.bytesStreamed = requireNonNull(bytesStreamed, "bytesStreamed is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.statements = requireNonNull(statements, "statements is null");
    AtomicInteger threads = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(
        THREADS,
        THREADS,
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE),
        runnable -> {
          Thread thread = new Thread(runnable, "sluice-flight-stream-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
  }

  /** Starts streaming {@code ticket} to {@code listener}; returns at once. */
  void start(FlightCaller caller, QueryTicket ticket, ServerStreamListener listener) {
    ResultStream stream = new ResultStream(engine, allocator, statements, caller, ticket, listener, bytesStreamed);
    ticket.start(stream::stop);
    stream.install();
    try {
      executor.execute(stream);
    } catch (RejectedExecutionException e) {
      ticket.finish();
      statements.finished(ticket);
      throw new GatewayException(
          ErrorCode.RESOURCE_EXHAUSTED, "Too many Flight SQL results are streaming; retry later");
    }
  }

  /** Waits for running streams to end (the caller cancels them first), then interrupts what is left. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("Flight SQL streams still running after {} s; interrupting them", SHUTDOWN_SECONDS);
        executor.shutdownNow();
        executor.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
