package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP request, fully read, and the means to answer it exactly once, either with a whole body
 * ({@link #respond}) or streamed in chunks ({@link #stream}). Safe to answer from any thread: the
 * writes are handed to the connection's event loop.
 */
public final class HttpExchange {
  private final Channel channel;
  private final HttpVersion version;
  private final HttpMethod method;
  private final QueryStringDecoder uri;
  private final HttpHeaders headers;
  private final byte[] body;
  private final ChannelFutureListener onResponseWritten;
  private final AtomicBoolean responded = new AtomicBoolean();
  // Written by the route's thread before it answers, read by the same thread when it does.
  private final HttpHeaders responseHeaders = new DefaultHttpHeaders();
  private volatile ResponseStream stream;

  HttpExchange(
      Channel channel,
      HttpVersion version,
      HttpMethod method,
      String uri,
      HttpHeaders headers,
      byte[] body,
      ChannelFutureListener onResponseWritten) {
    this.channel = requireNonNull(channel, "channel is null");
    this.version = requireNonNull(version, "version is null");
    this.method = requireNonNull(method, "method is null");
    this.uri = new QueryStringDecoder(requireNonNull(uri, "uri is null"));
    this.headers = requireNonNull(headers, "headers is null");
    this.body = requireNonNull(body, "body is null");
    this.onResponseWritten = requireNonNull(onResponseWritten, "onResponseWritten is null");
  }

  public HttpMethod method() {
    return method;
  }

  /** The decoded path, without the query string. */
  public String path() {
    return uri.path();
  }

  public Map<String, List<String>> queryParameters() {
    return uri.parameters();
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** The request body; the array is not copied (it can be 64 MB), so do not modify it. */
  public byte[] body() {
    return body;
  }

  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) channel.remoteAddress();
  }

  public boolean responded() {
    return responded.get();
  }

  /**
   * Adds headers to whatever answer this exchange gets, error or not; for cross-cutting headers
   * such as CORS that the route itself does not know about.
   */
  public void addResponseHeaders(HttpHeaders headers) {
    responseHeaders.add(requireNonNull(headers, "headers is null"));
  }

  /**
   * Runs {@code action} on the connection's event loop when the connection closes (at once if it
   * already has), so that a route can stop work nobody will read.
   *
   * @return an action that unregisters {@code action}
   */
  public Runnable whenDisconnected(Runnable action) {
    requireNonNull(action, "action is null");
    ChannelFutureListener listener = closed -> action.run();
    channel.closeFuture().addListener(listener);
    return () -> channel.closeFuture().removeListener(listener);
  }

  /**
   * Starts a chunked answer: sends the status and headers now, and returns the stream that sends
   * the body. The answer is complete only after {@link ResponseStream#finish()}; until then the
   * route owns the stream and must finish or abort it.
   *
   * @param stallTimeout how long a write may wait for a client that reads nothing before the
   *     stream gives up on it
   */
  public ResponseStream stream(
      HttpResponseStatus status, String contentType, HttpHeaders extraHeaders, Duration stallTimeout) {
    requireNonNull(status, "status is null");
    requireNonNull(contentType, "contentType is null");
    requireNonNull(extraHeaders, "extraHeaders is null");
    requireNonNull(stallTimeout, "stallTimeout is null");
    if (!responded.compareAndSet(false, true)) {
      throw new IllegalStateException("Already responded to " + method + " " + path());
    }
    HttpResponse head = new DefaultHttpResponse(version, status);
    head.headers().set(responseHeaders);
    head.headers().add(extraHeaders);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    ResponseStream started = new ResponseStream(channel, stallTimeout, onResponseWritten);
    stream = started;
    channel.writeAndFlush(head).addListener(started.failureListener());
    return started;
  }

  /**
   * Aborts a streamed answer the route left unfinished, so that it cannot look complete; called
   * after the route returns.
   */
  void abortUnfinishedStream() {
    ResponseStream current = stream;
    if (current != null) {
      current.abort();
    }
  }

  /** Called on the event loop when the connection's writability or liveness changes. */
  void connectionChanged() {
    ResponseStream current = stream;
    if (current != null) {
      current.connectionChanged();
    }
  }

  public void respond(HttpResponseStatus status, String contentType, byte[] body) {
    respond(status, contentType, body, EmptyHttpHeaders.INSTANCE);
  }

  public void respond(HttpResponseStatus status, String contentType, byte[] body, HttpHeaders extraHeaders) {
    requireNonNull(status, "status is null");
    requireNonNull(contentType, "contentType is null");
    requireNonNull(body, "body is null");
    requireNonNull(extraHeaders, "extraHeaders is null");
    if (!responded.compareAndSet(false, true)) {
      throw new IllegalStateException("Already responded to " + method + " " + path());
    }
    FullHttpResponse response = new DefaultFullHttpResponse(version, status, Unpooled.wrappedBuffer(body));
    response.headers().set(responseHeaders);
    response.headers().add(extraHeaders);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    channel.writeAndFlush(response).addListener(onResponseWritten);
  }

  /** Answers with a short plain-text message, for errors and simple endpoints. */
  public void respondText(HttpResponseStatus status, String text) {
    respondText(status, text, EmptyHttpHeaders.INSTANCE);
  }

  public void respondText(HttpResponseStatus status, String text, HttpHeaders extraHeaders) {
    respond(status, "text/plain; charset=utf-8", (text + "\n").getBytes(UTF_8), extraHeaders);
  }
}
