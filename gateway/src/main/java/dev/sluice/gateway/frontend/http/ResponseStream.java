package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body of a chunked HTTP answer, written from a route's thread with backpressure: each write
 * waits until the connection can take more, so a client that reads slowly slows the writer down
 * instead of filling memory. Only {@link #finish()} sends the terminating chunk; {@link #abort()}
 * closes the connection without it, so a client can always tell a cut-off body from a whole one.
 */
public final class ResponseStream {
  // Wake-ups come from the event loop; the timed wait only guards against a missed one.
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Channel channel;
  private final Duration stallTimeout;
  private final ChannelFutureListener onResponseWritten;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition connectionChanged = lock.newCondition();
  private volatile Throwable writeFailure;

  ResponseStream(Channel channel, Duration stallTimeout, ChannelFutureListener onResponseWritten) {
    this.channel = requireNonNull(channel, "channel is null");
    this.stallTimeout = requireNonNull(stallTimeout, "stallTimeout is null");
    this.onResponseWritten = requireNonNull(onResponseWritten, "onResponseWritten is null");
  }

  /** Allocates buffers for {@link #write} the way the connection prefers (pooled, direct). */
  public ByteBufAllocator allocator() {
    return channel.alloc();
  }

  /** Whether the client is still connected and nothing has failed or ended the stream. */
  public boolean isOpen() {
    return !ended.get() && writeFailure == null && channel.isActive();
  }

  /**
   * Sends {@code data} as one chunk once the connection is writable; takes ownership of the buffer
   * (released here if it cannot be sent).
   *
   * @throws IOException when the client disconnected, the connection failed, or the client read
   *     nothing for the stall timeout; the route should then {@link #abort()}
   */
  public void write(ByteBuf data) throws IOException {
    requireNonNull(data, "data is null");
    try {
      if (ended.get()) {
        throw new IllegalStateException("The response has already ended");
      }
      awaitWritable();
    } catch (IOException | RuntimeException e) {
      data.release();
      throw e;
    }
    channel.writeAndFlush(new DefaultHttpContent(data)).addListener(failureListener());
  }

  /** Sends the terminating chunk: the client now has the whole body. */
  public void finish() throws IOException {
    if (!ended.compareAndSet(false, true)) {
      throw new IllegalStateException("The response has already ended");
    }
    Throwable failure = writeFailure;
    if (failure != null || !channel.isActive()) {
      closeConnection();
      throw failure == null ? new ClosedChannelException() : new IOException(failure.getMessage(), failure);
    }
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(onResponseWritten);
  }

  /**
   * Closes the connection without the terminating chunk, so that the client sees a transfer error
   * rather than a short body; does nothing once the stream has ended.
   */
  public void abort() {
    if (ended.compareAndSet(false, true)) {
      closeConnection();
    }
  }

  private void closeConnection() {
    // Chunks already handed to the event loop are written first; then the connection closes.
    channel.close();
    // Lets the connection's dispatcher know this answer is over, as a failed write would.
    channel.newFailedFuture(new ClosedChannelException()).addListener(onResponseWritten);
  }

  ChannelFutureListener failureListener() {
    return future -> {
      if (!future.isSuccess()) {
        writeFailure = future.cause();
        connectionChanged();
      }
    };
  }

  /** Wakes a writer waiting for the connection; called on the event loop. */
  void connectionChanged() {
    lock.lock();
    try {
      connectionChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void awaitWritable() throws IOException {
    long deadline = System.nanoTime() + stallTimeout.toNanos();
    lock.lock();
    try {
      while (true) {
        Throwable failure = writeFailure;
        if (failure != null) {
          throw new IOException("Writing the response failed: " + failure.getMessage(), failure);
        }
        if (!channel.isActive()) {
          throw new ClosedChannelException();
        }
        if (channel.isWritable()) {
          return;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new IOException("The client read nothing for " + stallTimeout.toSeconds() + " s");
        }
        connectionChanged.awaitNanos(Math.min(remaining, POLL_NANOS));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting for the client to read");
    } finally {
      lock.unlock();
    }
  }
}
