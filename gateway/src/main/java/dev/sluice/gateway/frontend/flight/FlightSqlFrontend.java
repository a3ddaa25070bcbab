package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.catalog.VisibleCatalog;
import dev.sluice.gateway.config.FlightListenerConfig;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.frontend.http.ServerTls;
import io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Arrow Flight SQL listener: serves the {@link QueryEngine} over Flight SQL (gRPC) on the
 * configured host and port, speaking TLS when the listener has certificate files. Nothing happens
 * until {@link #start()}, which binds (port 0 picks a free port, {@link #port()} reads it back);
 * {@link #close()} cancels running queries and stops. Both are idempotent.
 */
public final class FlightSqlFrontend implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlightSqlFrontend.class);
  /** Threads answering calls (planning, metadata, binding); results stream on their own threads. */
  static final int CALL_THREADS = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
  static final long CLEAN_UP_SECONDS = 30;
  static final long SHUTDOWN_SECONDS = 5;

  private enum State { NEW, STARTED, CLOSED }

  private final FlightListenerConfig config;
  private final QueryEngine engine;
  private final RequestAuthenticator authenticator;
  private State state = State.NEW;
  private BufferAllocator allocator;
  private FlightStatements statements;
  private ResultStreams streams;
  private ExecutorService callExecutor;
  private ScheduledExecutorService cleaner;
  private FlightServer server;
  private final java.util.function.LongConsumer bytesStreamed;

  public FlightSqlFrontend(FlightListenerConfig config, QueryEngine engine, RequestAuthenticator authenticator) {
    this(config, engine, authenticator, bytes -> {});
  }

  /** {@code bytesStreamed} receives the Arrow body size of every batch sent (for the metrics). */
  public FlightSqlFrontend(
      FlightListenerConfig config,
      QueryEngine engine,
      RequestAuthenticator authenticator,
      java.util.function.LongConsumer bytesStreamed) {
    this.bytesStreamed = requireNonNull(bytesStreamed, "bytesStreamed is null");
    this.config = requireNonNull(config, "config is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
  }

  /** Binds the listener; does nothing if already started. */
  public synchronized void start() {
    if (state == State.STARTED) {
      return;
    }
    if (state == State.CLOSED) {
      throw new IllegalStateException("The Flight SQL frontend was closed");
    }
    try {
      // The TLS files are checked first: a bad file is a configuration error, not a half-started server.
      Optional<ServerTls.PemKeyPair> tls = config.tls()
          .map(files -> ServerTls.pem(files.certificate(), files.privateKey(), "listeners.flight.tls"));
      allocator = new RootAllocator();
      statements = new FlightStatements(engine.config().queryTimeout());
      streams = new ResultStreams(engine, allocator, statements, bytesStreamed);
      FlightMetadata metadata = new FlightMetadata(new VisibleCatalog(engine.governance()), allocator);
      GatewayFlightProducer producer = new GatewayFlightProducer(engine, statements, streams, metadata, allocator);
      callExecutor = new GrpcContextExecutor(Executors.newFixedThreadPool(CALL_THREADS, daemons("sluice-flight-call")));
      FlightAuthentication authentication = new FlightAuthentication(authenticator);
      Location location = tls.isPresent()
          ? Location.forGrpcTls(config.host(), config.port())
          : Location.forGrpcInsecure(config.host(), config.port());
      // Authentication is a gRPC interceptor, which only this hint can add (see FlightAuthentication).
      Consumer<NettyServerBuilder> interceptors = netty -> netty.intercept(authentication);
      FlightServer.Builder builder = FlightServer.builder(allocator, location, producer)
          .executor(callExecutor)
          .transportHint("grpc.builderConsumer", interceptors);
      if (tls.isPresent()) {
        builder.useTls(
            new ByteArrayInputStream(tls.get().certificateChain()), new ByteArrayInputStream(tls.get().privateKey()));
      }
      server = builder.build();
      server.start();
      cleaner = Executors.newSingleThreadScheduledExecutor(daemons("sluice-flight-cleaner"));
      cleaner.scheduleWithFixedDelay(statements::cleanUp, CLEAN_UP_SECONDS, CLEAN_UP_SECONDS, TimeUnit.SECONDS);
      state = State.STARTED;
      LOG.info("Flight SQL listening on {}://{}:{}", tls.isPresent() ? "grpc+tls" : "grpc", config.host(), port());
    } catch (IOException e) {
      shutDown();
      throw new GatewayException(
          ErrorCode.CONFIGURATION_ERROR,
          "Cannot listen for Flight SQL on " + config.host() + ":" + config.port() + ": " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      shutDown();
      throw e;
    }
  }

  /** The port actually bound, which differs from the configured one when that was 0. */
  public synchronized int port() {
    if (state != State.STARTED) {
      throw new IllegalStateException("The Flight SQL frontend is not running");
    }
    return server.getPort();
  }

  /**
   * Stops taking calls, cancels the queries of every ticket (their streams end with CANCELLED and
   * release their warehouse statements), then stops; does nothing if already closed.
   */
  @Override
  public synchronized void close() {
    if (state != State.CLOSED) {
      shutDown();
    }
  }

  private void shutDown() {
    state = State.CLOSED;
    if (server != null) {
      server.shutdown();
    }
    if (cleaner != null) {
      cleaner.shutdownNow();
    }
    if (statements != null) {
      statements.close();
    }
    if (streams != null) {
      streams.close();
    }
    if (server != null) {
      try {
        server.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (callExecutor != null) {
      callExecutor.shutdown();
      try {
        if (!callExecutor.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
          callExecutor.shutdownNow();
        }
      } catch (InterruptedException e) {
        callExecutor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (allocator != null) {
      try {
        allocator.close();
      } catch (IllegalStateException e) {
        LOG.warn("The Flight SQL frontend did not free all of its Arrow memory: {}", e.getMessage());
      }
    }
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
