package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * First handler of a TLS listener's connection: looks at the first bytes and, if they start a TLS
 * record, replaces itself with the TLS handler. Anything else (a plain-HTTP request) gets a fixed
 * 400 answer and the connection is closed; nothing of it reaches the HTTP codec or a route.
 *
 * <p>Closing silently would be enough for safety, but the Avatica driver retries a request that
 * got no response forever; a 400 makes a client configured with http:// fail at once, with a
 * message that says what to change.
 */
final class TlsOnlyHandler extends ByteToMessageDecoder {
  // A TLS record header is 5 bytes: content type, version (2), length (2).
  private static final int RECORD_HEADER_BYTES = 5;
  private static final byte[] PLAIN_HTTP_REFUSED = (
      "HTTP/1.1 400 Bad Request\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\n"
          + "Connection: close\r\n"
          + "Content-Length: 52\r\n"
          + "\r\n"
          + "This port only speaks HTTPS; connect with https://\r\n").getBytes(US_ASCII);

  private final SslContext tls;

  TlsOnlyHandler(SslContext tls) {
    this.tls = requireNonNull(tls, "tls is null");
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < RECORD_HEADER_BYTES) {
      return;
    }
    if (SslHandler.isEncrypted(in, false)) {
      // The bytes read so far are handed to the TLS handler when this one is removed.
      ctx.pipeline().replace(this, "tls", tls.newHandler(ctx.alloc()));
      return;
    }
    in.skipBytes(in.readableBytes());
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(PLAIN_HTTP_REFUSED)).addListener(ChannelFutureListener.CLOSE);
  }
}
