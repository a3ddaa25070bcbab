package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP request, fully read, and the means to answer it exactly once. Safe to answer from any
 * thread: the write is handed to the connection's event loop.
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
    response.headers().set(extraHeaders);
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
