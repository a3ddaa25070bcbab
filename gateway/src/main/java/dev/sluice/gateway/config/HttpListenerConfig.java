package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where the HTTP listener binds; port 0 asks the operating system for a free port. With {@code
 * tls} the listener speaks only HTTPS; with {@code cors} browsers on the allowed origins may call
 * the HTTP API. {@code handlerThreads} is how many requests the listener serves at once (queries
 * waiting for admission hold one each); when empty, {@link #handlerThreadsFor} derives it from the
 * limits.
 */
public record HttpListenerConfig(
    String host, int port, Optional<TlsConfig> tls, Optional<CorsConfig> cors, OptionalInt handlerThreads) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8765;
  /** Handler threads always left to other users when one user has every query the limits allow. */
  public static final int HANDLER_THREADS_FOR_OTHERS = 32;
  public static final int MAX_HANDLER_THREADS = 10_000;

  public HttpListenerConfig {
    requireNonNull(host, "host is null");
    requireNonNull(tls, "tls is null");
    requireNonNull(cors, "cors is null");
    requireNonNull(handlerThreads, "handlerThreads is null");
    if (handlerThreads.isPresent()
        && (handlerThreads.getAsInt() < 1 || handlerThreads.getAsInt() > MAX_HANDLER_THREADS)) {
      throw new IllegalArgumentException(
          "handlerThreads must be between 1 and " + MAX_HANDLER_THREADS + ", was " + handlerThreads.getAsInt());
    }
  }

  public HttpListenerConfig(String host, int port, Optional<TlsConfig> tls, Optional<CorsConfig> cors) {
    this(host, port, tls, cors, OptionalInt.empty());
  }

  public HttpListenerConfig(String host, int port, Optional<TlsConfig> tls) {
    this(host, port, tls, Optional.empty());
  }

  /** A plain-HTTP listener. */
  public HttpListenerConfig(String host, int port) {
    this(host, port, Optional.empty());
  }

  public static HttpListenerConfig defaults() {
    return new HttpListenerConfig(DEFAULT_HOST, DEFAULT_PORT);
  }

  public HttpListenerConfig withTls(TlsConfig tls) {
    return new HttpListenerConfig(host, port, Optional.of(requireNonNull(tls, "tls is null")), cors, handlerThreads);
  }

  public HttpListenerConfig withCors(CorsConfig cors) {
    return new HttpListenerConfig(host, port, tls, Optional.of(requireNonNull(cors, "cors is null")), handlerThreads);
  }

  public HttpListenerConfig withHandlerThreads(int threads) {
    return new HttpListenerConfig(host, port, tls, cors, OptionalInt.of(threads));
  }

  /**
   * The handler threads to run: the configured number, else enough that one user with as many
   * queries as the limits let one user have (running plus queued, per user or in all, whichever is
   * smaller) still leaves {@value #HANDLER_THREADS_FOR_OTHERS} threads to everybody else. With the
   * default limits (16 running and 16 queued per user) that is 64.
   */
  public int handlerThreadsFor(LimitsConfig limits) {
    requireNonNull(limits, "limits is null");
    if (handlerThreads.isPresent()) {
      return handlerThreads.getAsInt();
    }
    long oneUser = Math.min(footprint(limits.perUser()), footprint(limits.global()));
    return (int) Math.min(MAX_HANDLER_THREADS, oneUser + HANDLER_THREADS_FOR_OTHERS);
  }

  private static long footprint(LimitConfig limit) {
    return (long) limit.maxConcurrent() + limit.maxQueued();
  }
}
