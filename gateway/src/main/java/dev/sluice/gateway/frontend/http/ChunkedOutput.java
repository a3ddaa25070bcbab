package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link ResponseStream} as an {@link OutputStream} and a {@link WritableByteChannel} (what
 * text encoders and Arrow's {@code ArrowStreamWriter} write to), gathering bytes into chunks of
 * {@value #CHUNK_BYTES} bytes.
 *
 * <p>{@link #close()} does not complete the response: only {@link #finish()} does, and closing
 * an unfinished output aborts it, so that code failing half-way can never send a whole-looking body.
 */
final class ChunkedOutput extends OutputStream implements WritableByteChannel {
  static final int CHUNK_BYTES = 128 * 1024;

  private final ResponseStream stream;
  private ByteBuf chunk;
  private boolean ended;
  private long sent;

  ChunkedOutput(ResponseStream stream) {
    this.stream = requireNonNull(stream, "stream is null");
  }

  @Override
  public void write(int b) throws IOException {
    room().writeByte(b);
    sendIfFull();
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    int written = 0;
    while (written < length) {
      ByteBuf target = room();
      int count = Math.min(length - written, target.writableBytes());
      target.writeBytes(bytes, offset + written, count);
      written += count;
      sendIfFull();
    }
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    int length = source.remaining();
    while (source.hasRemaining()) {
      ByteBuf target = room();
      int count = Math.min(source.remaining(), target.writableBytes());
      ByteBuffer slice = source.slice();
      slice.limit(count);
      target.writeBytes(slice);
      source.position(source.position() + count);
      sendIfFull();
    }
    return length;
  }

  /** Sends what has been gathered so far as a chunk, without waiting for a full one. */
  @Override
  public void flush() throws IOException {
    checkNotEnded();
    if (chunk != null && chunk.isReadable()) {
      ByteBuf full = chunk;
      chunk = null;
      sent += full.readableBytes();
      stream.write(full);
    }
  }

  /** Body bytes handed to the connection so far. */
  long sent() {
    return sent;
  }

  /** Sends the rest and the terminating chunk: the response is complete. */
  void finish() throws IOException {
    flush();
    ended = true;
    stream.finish();
  }

  @Override
  public boolean isOpen() {
    return !ended && stream.isOpen();
  }

  /** Aborts the response unless {@link #finish()} completed it. */
  @Override
  public void close() {
    if (chunk != null) {
      chunk.release();
      chunk = null;
    }
    if (!ended) {
      ended = true;
      stream.abort();
    }
  }

  private ByteBuf room() throws IOException {
    checkNotEnded();
    if (chunk == null) {
      chunk = stream.allocator().buffer(CHUNK_BYTES, CHUNK_BYTES);
    }
    return chunk;
  }

  private void sendIfFull() throws IOException {
    if (!chunk.isWritable()) {
      flush();
    }
  }

  private void checkNotEnded() throws IOException {
    if (ended) {
      throw new IOException("The response has ended");
    }
  }
}
