package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.Failures;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.engine.ArrowBatches;
import dev.sluice.gateway.engine.Protocol;
import dev.sluice.gateway.engine.QueryContext;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.policies.Principal;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/query}: runs one query for a caller authenticated with Basic or Bearer and
 * streams its rows, as Arrow IPC, JSON or CSV by {@code Accept}, in chunks written at the pace the
 * client reads them. A failure before the first byte is a JSON error with a status; a failure after
 * it closes the connection without the terminating chunk, so that no client mistakes a cut-off
 * result for a whole one; a client that disconnects cancels the query.
 */
public final class QueryRoute implements AutoCloseable {
  public static final String PATH = "/v1/query";
  /** The gateway's id of the execution, also in the audit log and the warehouse's query history. */
  public static final String QUERY_ID_HEADER = "X-Sluice-Query-Id";

  private static final Logger log = LoggerFactory.getLogger(QueryRoute.class);

  private final QueryEngine engine;
  private final RequestAuthenticator authenticator;
  private final BufferAllocator allocator = new RootAllocator();
  private final AtomicInteger runningQueries = new AtomicInteger();

  private final LongConsumer bytesStreamed;

  public QueryRoute(QueryEngine engine, RequestAuthenticator authenticator) {
    this(engine, authenticator, bytes -> {});
  }

  /** {@code bytesStreamed} receives the size of each answer's body (for the metrics). */
  public QueryRoute(QueryEngine engine, RequestAuthenticator authenticator, LongConsumer bytesStreamed) {
    this.engine = requireNonNull(engine, "engine is null");
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
    this.bytesStreamed = requireNonNull(bytesStreamed, "bytesStreamed is null");
  }

  public List<HttpEndpoint> endpoints() {
    return List.of(new HttpEndpoint(HttpMethod.POST, PATH, this::handle));
  }

  /** Queries whose answer is being written, each holding a warehouse statement until it ends. */
  public int runningQueries() {
    return runningQueries.get();
  }

  /** Arrow memory held by running queries' batches. */
  public long allocatedBytes() {
    return allocator.getAllocatedMemory();
  }

  void handle(HttpExchange exchange) {
    try {
      Principal principal = authenticate(exchange);
      Optional<ResultFormat> format =
          ResultFormat.negotiate(Optional.ofNullable(exchange.headers().get(HttpHeaderNames.ACCEPT)));
      if (format.isEmpty()) {
        HttpErrors.respond(exchange, HttpResponseStatus.NOT_ACCEPTABLE, notAcceptable(exchange));
        return;
      }
      if (!isJson(exchange.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
        HttpErrors.respond(exchange, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, notJson());
        return;
      }
      QueryRequest request = QueryRequest.parse(exchange.body());
      QueryContext context = context(exchange, principal.withPurpose(request.purpose()));
      QueryPlan plan = engine.prepare(context, request.sql());
      QueryCursor cursor = engine.execute(context, plan, request.parameters(), request.timeout());
      stream(exchange, cursor, format.get());
    } catch (GatewayException e) {
      if (e.code().category() == ErrorCode.Category.INTERNAL) {
        log.error("Query over HTTP failed: {}", e.getMessage(), e);
      }
      HttpErrors.respond(exchange, e);
    } catch (RuntimeException e) {
      log.error("Query over HTTP failed outside the gateway's error model", e);
      if (!exchange.responded()) {
        HttpErrors.respond(exchange, new GatewayException(ErrorCode.INTERNAL_ERROR, "Internal error"));
      }
    }
  }

  private Principal authenticate(HttpExchange exchange) {
    Optional<String> authorization = Optional.ofNullable(exchange.headers().get(HttpHeaderNames.AUTHORIZATION));
    InetAddress client = exchange.remoteAddress().getAddress();
    return authenticator.authenticate(authorization, client);
  }

  private static QueryContext context(HttpExchange exchange, Principal principal) {
    return new QueryContext(
        principal,
        Protocol.HTTP,
        Optional.of(exchange.remoteAddress().getAddress().getHostAddress()),
        Optional.ofNullable(exchange.headers().get(HttpHeaderNames.USER_AGENT)));
  }

  /**
   * Writes the cursor's rows and releases everything the query holds, however it ends. The
   * cursor's first batch is read before the status line, so that a query failing at once still
   * gets an error status; after that, a failure can only abort the connection.
   */
  private void stream(HttpExchange exchange, QueryCursor cursor, ResultFormat format) {
    String queryId = cursor.queryId();
    runningQueries.incrementAndGet();
    BufferAllocator queryAllocator = allocator.newChildAllocator("query " + queryId, 0, Long.MAX_VALUE);
    // Closing the connection cancels the warehouse statement even while a fetch is blocked on it.
    Runnable stopWatching = exchange.whenDisconnected(cursor::cancel);
    ChunkedOutput out = null;
    try {
      ArrowBatches batches = cursor.arrow(queryAllocator, engine.config().arrowBatchRows());
      boolean more = batches.next();
      ResponseStream stream =
          exchange.stream(HttpResponseStatus.OK, format.contentType(), headers(queryId), engine.config().queryTimeout());
      out = new ChunkedOutput(stream);
      ResultWriter writer = format.writer(cursor.columns(), batches.root(), out);
      writer.start();
      while (more) {
        writer.write(batches.root());
        out.flush();
        more = batches.next();
      }
      writer.end();
      out.finish();
    } catch (GatewayException e) {
      if (out == null) {
        throw e;
      }
      if (out.isOpen()) {
        log.warn("Query {} failed after its answer started; cutting the response off: {}", queryId, e.getMessage());
      } else {
        log.info("Query {} stopped: the client went away ({})", queryId, Failures.message(e));
      }
    } catch (IOException e) {
      log.info("Query {} stopped: the client went away ({})", queryId, Failures.message(e));
      cursor.cancel();
    } finally {
      stopWatching.run();
      if (out != null) {
        out.close();
        bytesStreamed.accept(out.sent());
      }
      cursor.close();
      closeQuietly(queryAllocator, queryId);
      runningQueries.decrementAndGet();
    }
  }

  private static HttpHeaders headers(String queryId) {
    return new DefaultHttpHeaders()
        .set(QUERY_ID_HEADER, queryId)
        // Results hold customer data: no shared cache may keep them.
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
  }

  private static GatewayException notAcceptable(HttpExchange exchange) {
    StringBuilder offered = new StringBuilder();
    for (ResultFormat format : ResultFormat.values()) {
      offered.append(offered.length() == 0 ? "" : ", ").append(format.mediaType());
    }
    return new GatewayException(
        ErrorCode.UNSUPPORTED,
        "No result format matches Accept: " + exchange.headers().get(HttpHeaderNames.ACCEPT)
            + "; available: " + offered);
  }

  // Requiring JSON also keeps browsers from sending a query cross-site without a CORS preflight:
  // the content types a form or a "simple" fetch may send are all refused.
  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
  }

  private static GatewayException notJson() {
    return new GatewayException(
        ErrorCode.UNSUPPORTED, "Send the query as a JSON body with Content-Type: application/json");
  }

  private static void closeQuietly(BufferAllocator queryAllocator, String queryId) {
    try {
      queryAllocator.close();
    } catch (IllegalStateException e) {
      // A leak is a bug in the cursor; the server keeps serving, and the log says which query.
      log.error("Query {} left Arrow memory allocated: {}", queryId, e.getMessage());
    }
  }

  /** Frees the route's Arrow memory; call after the HTTP server stopped running routes. */
  @Override
  public void close() {
    allocator.close();
  }
}
