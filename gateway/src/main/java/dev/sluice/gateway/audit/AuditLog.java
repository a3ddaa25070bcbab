package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.AuditConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead, hash-chained audit log: JSON lines in numbered files of one directory. Callers
 * hand it records from any thread; one writer thread takes every record waiting, writes them with
 * one write and, if any of them is write-ahead, one fsync (group commit), then completes their
 * futures, so concurrent queries share syncs and records nobody waits for ride along. When the files cannot be written, the log stops being {@link #writable()} and fails
 * every append (callers refuse their queries) until a retry, at most once a second, succeeds.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final int MAX_PENDING = 100_000;
  private static final int MAX_BATCH = 8_192;
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** At most this long between writing a record nobody waits for and syncing it. */
  public static final long SYNC_DELAY_MILLIS = 200;
  static final String UNAVAILABLE_MESSAGE =
      "The audit log cannot record queries right now, so none may run; the gateway's log has the cause";

  private final AuditConfig config;
  private final AuditFileWriter files;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_PENDING);
  private volatile boolean writable;
  private volatile boolean closed;
  private volatile String failure;
  private Thread writer;
  private long lastRetry;
  private int lastWriteAheadRecords;
  // While the writer gathers a batch: how many waiting records end the wait.
  private volatile int gatherUntil = Integer.MAX_VALUE;
  // Write-ahead records queued and not yet taken by the writer.
  private final AtomicInteger waitingWriteAhead = new AtomicInteger();
  private final AtomicLong recordsWritten = new AtomicLong();
  private final AtomicLong batchesWritten = new AtomicLong();
  private final AtomicLong syncs = new AtomicLong();
  private final AtomicLong writeNanos = new AtomicLong();
  private long lastSync = System.nanoTime();

  private AuditLog(AuditConfig config, AuditFileWriter files) {
    this.config = config;
    this.files = files;
  }

  /**
   * Opens the log in {@code config.directory()} and starts its writer thread; a disabled
   * configuration gives a log that records nothing.
   *
   * @throws GatewayException with {@link ErrorCode#AUDIT_UNAVAILABLE} when the directory cannot
   *     be used (the gateway must not start)
   */
  public static AuditLog open(AuditConfig config) {
    return open(config, Clock.systemUTC());
  }

  public static AuditLog open(AuditConfig config, Clock clock) {
    requireNonNull(config, "config is null");
    requireNonNull(clock, "clock is null");
    AuditFileWriter files = new AuditFileWriter(config, ChainHash.of(config.hmacKey()), clock);
    AuditLog log = new AuditLog(config, files);
    if (!config.enabled()) {
      log.closed = false;
      log.writable = true;
      return log;
    }
    try {
      files.open();
    } catch (IOException | RuntimeException e) {
      files.close();
      throw new GatewayException(
          ErrorCode.AUDIT_UNAVAILABLE,
          "audit.directory: cannot write the audit log in " + files.directory() + ": " + e.getMessage(),
          e);
    }
    log.writable = true;
    log.writer = new Thread(log::run, "sluice-audit-writer");
    log.writer.setDaemon(true);
    log.writer.start();
    return log;
  }

  /** A log that records nothing ({@code audit.enabled: false}). */
  public static AuditLog disabled() {
    return open(AuditConfig.defaults().withEnabled(false));
  }

  public boolean enabled() {
    return config.enabled();
  }

  /** The directory the log writes (absolute). */
  public Path directory() {
    return files.directory();
  }

  /** Whether records can be written now; false after a write failed and until a retry succeeds. */
  public boolean writable() {
    return writable && !closed;
  }

  /** For readiness checks ({@code /readyz}): ready while the log is writable. */
  public BooleanSupplier readiness() {
    return this::writable;
  }

  /**
   * Queues {@code event}; the future completes with its sequence number once it is written. It is
   * durable with the next record someone waits for, or within {@link #SYNC_DELAY_MILLIS} ms: only
   * write-ahead records ({@link #appendDurably}) need a sync of their own.
   */
  public CompletableFuture<Long> append(AuditEvent event) {
    return append(event, false);
  }

  private CompletableFuture<Long> append(AuditEvent event, boolean durable) {
    requireNonNull(event, "event is null");
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (!config.enabled()) {
      done.complete(0L);
      return done;
    }
    if (closed) {
      done.completeExceptionally(new IOException("the audit log is closed"));
    } else if (!writable) {
      // Fail fast: the writer thread is retrying and would only fail this record too.
      done.completeExceptionally(new IOException(failure));
    } else if (!queue.offer(new Pending(event, done, durable))) {
      done.completeExceptionally(new IOException("more than " + MAX_PENDING + " records are waiting to be written"));
    } else if (durable && waitingWriteAhead.incrementAndGet() >= gatherUntil) {
      LockSupport.unpark(writer);
    }
    return done;
  }

  /**
   * Appends {@code event} and waits, at most {@code audit.write_timeout}, until it is durable.
   *
   * @return its sequence number
   * @throws GatewayException with {@link ErrorCode#AUDIT_UNAVAILABLE} when it is not durable in time
   */
  public long appendDurably(AuditEvent event) {
    return awaitDurable(appendWriteAhead(event));
  }

  /**
   * Queues the write-ahead record {@code event} without waiting: it gets a sync of its own (shared
   * with whatever else is waiting), and the future completes once it is durable; already failed
   * when the log is not writable. {@link #awaitDurable} waits for it.
   */
  public CompletableFuture<Long> appendWriteAhead(AuditEvent event) {
    return append(event, true);
  }

  /**
   * Waits, at most {@code audit.write_timeout}, until the record {@code done} stands for is
   * durable.
   *
   * @return its sequence number
   * @throws GatewayException with {@link ErrorCode#AUDIT_UNAVAILABLE} when it is not durable in time
   */
  public long awaitDurable(CompletableFuture<Long> done) {
    try {
      return done.get(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw unavailable(e.getCause());
    } catch (TimeoutException e) {
      throw unavailable(new IOException("not written within " + config.writeTimeout().toMillis() + " ms"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(e);
    }
  }

  private static GatewayException unavailable(Throwable cause) {
    return new GatewayException(ErrorCode.AUDIT_UNAVAILABLE, UNAVAILABLE_MESSAGE, cause);
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      Pending first;
      try {
        first = queue.poll(SYNC_DELAY_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null;
      }
      if (first == null) {
        if (closed) {
          break;
        }
        if (!writable) {
          retry();
        } else {
          syncQuietly();
        }
        continue;
      }
      batch.add(first);
      // Waiting for company only pays when queries run concurrently, which the last write shows
      // by having synced for several write-ahead records; a lone query never waits for it (its
      // previous finished record riding along does not count).
      if (!config.groupCommitWindow().isZero() && lastWriteAheadRecords > 1) {
        gather(lastWriteAheadRecords);
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      lastWriteAheadRecords = (int) batch.stream().filter(Pending::durable).count();
      waitingWriteAhead.addAndGet(-lastWriteAheadRecords);
      write(batch);
      batch.clear();
    }
    files.close();
  }

  /**
   * Waits at most the group commit window for company: until as many records are waiting as the
   * last write had write-ahead records (appenders wake this thread then), so that a steady load
   * shares syncs without every query waiting the whole window.
   */
  private void gather(int expected) {
    long deadline = System.nanoTime() + config.groupCommitWindow().toNanos();
    // Counts the batch's first record too, taken from the queue already.
    gatherUntil = expected;
    try {
      long remaining;
      while (waitingWriteAhead.get() < expected && (remaining = deadline - System.nanoTime()) > 0) {
        LockSupport.parkNanos(this, remaining);
      }
    } finally {
      gatherUntil = Integer.MAX_VALUE;
    }
  }

  private void write(List<Pending> batch) {
    if (!writable) {
      retry();
    }
    if (!writable) {
      batch.forEach(pending -> pending.done.completeExceptionally(new IOException(failure)));
      return;
    }
    List<AuditEvent> events = new ArrayList<>(batch.size());
    boolean sync = false;
    for (Pending pending : batch) {
      events.add(pending.event);
      sync |= pending.durable;
    }
    if (!sync && files.unsynced() && System.nanoTime() - lastSync > TimeUnit.MILLISECONDS.toNanos(SYNC_DELAY_MILLIS)) {
      sync = true;
    }
    long[] seqs;
    try {
      long started = System.nanoTime();
      seqs = files.write(events, sync);
      if (sync && config.fsync()) {
        lastSync = System.nanoTime();
        syncs.incrementAndGet();
        writeNanos.addAndGet(lastSync - started);
      }
    } catch (IOException | RuntimeException e) {
      failure = "audit log write failed: " + e.getMessage();
      writable = false;
      lastRetry = System.nanoTime();
      files.abandon();
      LOG.error("Cannot write the audit log in {}; refusing queries until it can: {}", files.directory(), e.toString());
      batch.forEach(pending -> pending.done.completeExceptionally(e));
      return;
    }
    recordsWritten.addAndGet(batch.size());
    batchesWritten.incrementAndGet();
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done.complete(seqs[i]);
    }
  }

  /** Records this log wrote (durably, with fsync on) since it was opened. */
  public long recordsWritten() {
    return recordsWritten.get();
  }

  /** Writes it took: fewer than records when group commit works. */
  public long batchesWritten() {
    return batchesWritten.get();
  }

  /** Syncs to disk it took (none without fsync); a batch with no write-ahead record needs none. */
  public long syncs() {
    return syncs.get();
  }

  /** Time spent writing and syncing batches that were synced: divided by {@link #syncs()}, the fsync latency. */
  public java.time.Duration syncedWriteTime() {
    return java.time.Duration.ofNanos(writeNanos.get());
  }

  /** Syncs records nobody waited for once the log is idle. */
  private void syncQuietly() {
    if (!files.unsynced()) {
      return;
    }
    try {
      files.sync();
      lastSync = System.nanoTime();
      syncs.incrementAndGet();
    } catch (IOException e) {
      failure = "audit log sync failed: " + e.getMessage();
      writable = false;
      lastRetry = System.nanoTime();
      files.abandon();
      LOG.error("Cannot sync the audit log in {}; refusing queries until it can: {}", files.directory(), e.toString());
    }
  }

  private void retry() {
    long now = System.nanoTime();
    if (now - lastRetry < RETRY_NANOS) {
      return;
    }
    lastRetry = now;
    try {
      files.recover(failure);
      writable = true;
      LOG.warn("The audit log in {} is writable again; queries are accepted", files.directory());
    } catch (IOException | RuntimeException e) {
      failure = "audit log still not writable: " + e.getMessage();
      files.abandon();
      LOG.debug("Audit log recovery failed: {}", e.toString());
    }
  }

  /** Writes what is queued, then closes the files; records appended later fail. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Thread thread = writer;
    if (thread != null) {
      try {
        thread.join(config.writeTimeout().toMillis() + 5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Pending left;
    while ((left = queue.poll()) != null) {
      left.done.completeExceptionally(new IOException("the audit log is closed"));
    }
  }

  private record Pending(AuditEvent event, CompletableFuture<Long> done, boolean durable) {}
}
