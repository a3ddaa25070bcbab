package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP/1.1 listener: Netty event loops do the I/O, routes run on a bounded pool of
 * handler threads, and every HTTP protocol (Avatica, Arrow over HTTP, metrics) is a route on it.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;
  /** Threads and queue of the probe lane ({@link HttpEndpoint.Lane#PROBE}); beyond the queue, 503. */
  private static final int PROBE_THREADS = 2;
  private static final int PROBE_QUEUE_CAPACITY = 64;
  /** Threads and queue of the metrics lane ({@link HttpEndpoint.Lane#METRICS}); beyond the queue, 503. */
  private static final int METRICS_THREADS = 2;
  private static final int METRICS_QUEUE_CAPACITY = 64;
  private static final int WRITE_BUFFER_LOW_BYTES = 128 * 1024;
  private static final int WRITE_BUFFER_HIGH_BYTES = 512 * 1024;

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final HttpServerConfig config;
  private final HttpRouter router;
  private final Optional<SslContext> tls;

  // Guarded by this.
  private State state = State.NEW;
  private EventLoopGroup acceptorGroup;
  private EventLoopGroup ioGroup;
  /** The threads of each lane; handler threads first, so that they finish first. */
  private final Map<HttpEndpoint.Lane, ThreadPoolExecutor> lanes = new EnumMap<>(HttpEndpoint.Lane.class);
  private Channel serverChannel;

  public HttpServer(HttpServerConfig config, List<HttpEndpoint> endpoints) {
    this(config, endpoints, Optional.empty());
  }

  /**
   * A listener that, with {@code tls}, speaks only HTTPS: a plain-HTTP request gets a fixed 400
   * answer and its connection is closed, without reaching any route.
   */
  public HttpServer(HttpServerConfig config, List<HttpEndpoint> endpoints, Optional<SslContext> tls) {
    this.config = requireNonNull(config, "config is null");
    this.router = new HttpRouter(List.copyOf(requireNonNull(endpoints, "endpoints is null")));
    this.tls = requireNonNull(tls, "tls is null");
  }

  public boolean tls() {
    return tls.isPresent();
  }

  /** Binds the listener; does nothing if already started. */
  public synchronized void start() {
    if (state == State.STARTED) {
      return;
    }
    if (state == State.CLOSED) {
      throw new IllegalStateException("HTTP server was closed");
    }
    lanes.put(HttpEndpoint.Lane.REQUEST,
        lane(config.handlerThreads(), config.handlerQueueCapacity(), "sluice-http-handler"));
    lanes.put(HttpEndpoint.Lane.PROBE, lane(PROBE_THREADS, PROBE_QUEUE_CAPACITY, "sluice-http-probe"));
    lanes.put(HttpEndpoint.Lane.METRICS, lane(METRICS_THREADS, METRICS_QUEUE_CAPACITY, "sluice-http-metrics"));
    Map<HttpEndpoint.Lane, Executor> executors = Map.copyOf(lanes);
    acceptorGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("sluice-http-accept"));
    ioGroup = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("sluice-http-io"));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptorGroup, ioGroup)
            .channel(NioServerSocketChannel.class)
            // Streamed answers wait while more than the high mark is queued for a connection and
            // go on below the low mark: the most a slow client makes the gateway hold.
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(WRITE_BUFFER_LOW_BYTES, WRITE_BUFFER_HIGH_BYTES))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    tls.ifPresent(context -> channel.pipeline().addLast(new TlsOnlyHandler(context)));
                    channel
                        .pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpServerKeepAliveHandler())
                        // Aggregates requests only; answers, streamed ones too, pass unbuffered.
                        .addLast(new HttpObjectAggregator(config.maxRequestBytes()))
                        .addLast(new HttpRequestDispatcher(router, executors));
                  }
                });
    try {
      serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
    } catch (Exception e) {
      // bind() reports BindException and friends without declaring them.
      shutDown();
      state = State.CLOSED;
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new GatewayException(
          ErrorCode.CONFIGURATION_ERROR,
          "Cannot listen for HTTP on " + config.host() + ":" + config.port() + ": " + e.getMessage(),
          e);
    }
    state = State.STARTED;
    log.info("{} listening on {}:{}", tls.isPresent() ? "HTTPS" : "HTTP", config.host(), port());
  }

  /** The port actually bound, which differs from the configured one when that was 0. */
  public synchronized int port() {
    if (state != State.STARTED) {
      throw new IllegalStateException("HTTP server is not running");
    }
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /**
   * Stops accepting connections, lets running routes finish (up to a timeout) and shuts the event
   * loops down; does nothing if already closed.
   */
  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasStarted = state == State.STARTED;
    state = State.CLOSED;
    if (wasStarted) {
      shutDown();
    }
  }

  /**
   * A lane's fixed pool of threads and bounded queue. AbortPolicy: a full queue must fail fast
   * (503), not run the route on the event loop.
   */
  private static ThreadPoolExecutor lane(int threads, int queueCapacity, String threadName) {
    return new ThreadPoolExecutor(
        threads,
        threads,
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueCapacity),
        new DefaultThreadFactory(threadName),
        new ThreadPoolExecutor.AbortPolicy());
  }

  private void shutDown() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    // Routes finish before the event loops go, so that their answers can still be written.
    lanes.values().forEach(this::finish);
    acceptorGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    ioGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    acceptorGroup.terminationFuture().awaitUninterruptibly();
    ioGroup.terminationFuture().awaitUninterruptibly();
  }

  private void finish(ThreadPoolExecutor executor) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("HTTP routes still running after {} s; interrupting them", SHUTDOWN_TIMEOUT_SECONDS);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
