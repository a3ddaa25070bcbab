package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connection handler that hands complete requests to routes on the handler executor.
 *
 * <p>Requests of one connection are served one at a time, in order: HTTP/1.1 requires responses in
 * request order, and a pipelining client must not occupy several handler threads at once. All
 * fields are confined to the connection's event loop.
 */
final class HttpRequestDispatcher extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpRequestDispatcher.class);

  private final HttpRouter router;
  /** The threads each {@link HttpEndpoint.Lane} runs on. */
  private final Map<HttpEndpoint.Lane, Executor> lanes;
  private final ArrayDeque<HttpExchange> waiting = new ArrayDeque<>();
  private boolean busy;
  // The exchange being answered, told when a streamed answer may write again.
  private HttpExchange current;

  HttpRequestDispatcher(HttpRouter router, Map<HttpEndpoint.Lane, Executor> lanes) {
    this.router = requireNonNull(router, "router is null");
    this.lanes = Map.copyOf(requireNonNull(lanes, "lanes is null"));
    for (HttpEndpoint.Lane lane : HttpEndpoint.Lane.values()) {
      requireNonNull(this.lanes.get(lane), () -> "no executor for lane " + lane);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (!(message instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(message);
      return;
    }
    HttpExchange exchange;
    boolean malformed = request.decoderResult().isFailure();
    try {
      // Copy the body out of Netty's pooled buffer so that routes never deal with reference counts.
      exchange =
          new HttpExchange(
              ctx.channel(),
              request.protocolVersion(),
              request.method(),
              request.uri(),
              request.headers(),
              ByteBufUtil.getBytes(request.content()),
              written -> onResponseWritten(ctx, written));
    } finally {
      ReferenceCountUtil.release(request);
    }
    if (malformed) {
      // The codec cannot tell where the next request starts, so the connection must end here;
      // the keep-alive handler closes it once this answer is written.
      waiting.clear();
      exchange.respondText(
          HttpResponseStatus.BAD_REQUEST,
          "Malformed HTTP request",
          new DefaultHttpHeaders().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE));
      return;
    }
    waiting.add(exchange);
    if (!busy) {
      dispatchNext();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    waiting.clear();
    if (current != null) {
      current.connectionChanged();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.connectionChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Closing HTTP connection from {} after an error", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }

  // Runs on the event loop: listeners of a channel's futures are notified there.
  private void onResponseWritten(ChannelHandlerContext ctx, ChannelFuture written) {
    if (!written.isSuccess()) {
      waiting.clear();
      ctx.close();
    }
    busy = false;
    current = null;
    dispatchNext();
  }

  private void dispatchNext() {
    HttpExchange exchange = waiting.poll();
    if (exchange == null) {
      return;
    }
    busy = true;
    current = exchange;
    Optional<HttpEndpoint> endpoint = router.route(exchange.method(), exchange.path());
    if (endpoint.isEmpty()) {
      router.respondUnmatched(exchange);
      return;
    }
    HttpRoute route = endpoint.get().route();
    Executor executor = lanes.get(endpoint.get().lane());
    try {
      executor.execute(() -> run(route, exchange));
    } catch (RejectedExecutionException e) {
      exchange.respondText(
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          "Server busy, retry later",
          new DefaultHttpHeaders().set(HttpHeaderNames.RETRY_AFTER, 1));
    }
  }

  private static void run(HttpRoute route, HttpExchange exchange) {
    try {
      route.handle(exchange);
    } catch (RuntimeException | Error e) {
      log.error("HTTP route failed: {} {}", exchange.method(), exchange.path(), e);
    } finally {
      exchange.abortUnfinishedStream();
      if (!exchange.responded()) {
        exchange.respondText(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error");
      }
    }
  }
}
