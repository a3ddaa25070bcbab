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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead, hash-chained audit log: JSON lines in numbered files of one directory. Callers
 * hand it records from any thread into one queue; every record leaves the queue under one lock, in
 * order, and is written with the others taken with it in one write. A caller that waits for a
 * write-ahead record that is not durable yet ({@link #awaitDurable}) takes the lock itself, writes
 * everything queued and syncs (fsync), taking every record written so far with it (group commit):
 * callers that arrive meanwhile wait for that pass to end, then find their records covered or take
 * the lock next. A writer thread writes the records nobody waits for as they come, and syncs at
 * least every {@link #SYNC_DELAY_MILLIS} ms. A query's started record is queued before the query waits for
 * admission and awaited only before it reaches a warehouse, so a query that queued finds its record
 * already synced by the one ahead of it, and the log syncs about once per wave of queries rather
 * than once per query. When the files cannot be written, the log stops being {@link #writable()}
 * and fails every append (callers refuse their queries) until a retry, at most once a second,
 * succeeds.
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
  // Whether the writer is parked, or about to park, waiting for records (then appends wake it).
  private volatile boolean writerIdle;
  // Taking records out of the queue, the files, and everything below up to lastSync: under it.
  private final ReentrantLock lock = new ReentrantLock();
  // The pass of whoever holds the lock: completed once it is released.
  private volatile CompletableFuture<Void> currentPass = CompletableFuture.completedFuture(null);
  // Set once close() has failed what was left: nothing is written after it.
  private boolean shut;
  private long lastRetry;
  // Callers that asked for the last sync: how much company the next one waits for.
  private int lastDemands;
  // While the caller syncing gathers company: how many waiting callers end the wait, and who waits.
  private volatile int gatherUntil = Integer.MAX_VALUE;
  private volatile Thread gatherer;
  // Callers that waited for a record not durable yet, since the last sync took them in.
  private final AtomicInteger demands = new AtomicInteger();
  // Write-ahead records written but not yet synced.
  private final List<Written> unsynced = new ArrayList<>();
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
    } else if (!durable && writerIdle) {
      // A write-ahead record is written by the caller that waits for it (or by whoever syncs
      // first); only records nobody waits for need the writer now.
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
   * Queues the write-ahead record {@code event} without waiting: it is written and synced by the
   * time {@link #awaitDurable} returns for it (by that caller, unless a sync for someone else
   * covered it first), or else by the writer within about twice {@link #SYNC_DELAY_MILLIS} ms;
   * the future completes once it is durable, and is already failed when the log is not writable.
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
      if (!done.isDone()) {
        syncFor(done, System.nanoTime() + config.writeTimeout().toNanos());
      }
      return done.get();
    } catch (ExecutionException e) {
      throw unavailable(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(e);
    }
  }

  /**
   * Makes {@code done}'s record durable: the first caller to find the lock free writes what is
   * queued, its record among it unless an earlier pass wrote it, and syncs; callers that find it
   * taken wait until either their record is durable or the lock is free again (every record leaves
   * the queue under the lock, so a pass that began after a record was queued covers it). Waiting
   * ends at {@code deadline}, the disk being stuck under whoever holds the lock.
   */
  private void syncFor(CompletableFuture<Long> done, long deadline) throws InterruptedException {
    int waiting = demands.incrementAndGet();
    if (waiting >= gatherUntil) {
      LockSupport.unpark(gatherer);
    }
    while (!done.isDone()) {
      if (lock.tryLock()) {
        CompletableFuture<Void> pass = beginPass();
        try {
          if (!done.isDone()) {
            syncQueued(done);
          }
        } finally {
          endPass(pass);
        }
        return;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        done.completeExceptionally(
            new IOException("not written within " + config.writeTimeout().toMillis() + " ms"));
        return;
      }
      CompletableFuture<Void> pass = currentPass;
      if (pass.isDone()) {
        // Between one holder's unlock and its pass's end, or a new holder's start: try again.
        Thread.yield();
        continue;
      }
      try {
        CompletableFuture.anyOf(done, pass).get(remaining, TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // A failed record is done; a timeout is noticed at the top of the loop.
      }
    }
  }

  /** Holding the lock: writes everything queued and syncs, for the waiting caller of {@code done}. */
  private void syncQueued(CompletableFuture<Long> done) {
    if (shut) {
      done.completeExceptionally(new IOException("the audit log is closed"));
      return;
    }
    // Waiting for company only pays when several callers asked for the last sync; a lone query
    // never waits for it.
    if (!config.groupCommitWindow().isZero() && lastDemands > 1) {
      gather(lastDemands);
    }
    List<Pending> batch = new ArrayList<>();
    queue.drainTo(batch);
    lastDemands = Math.max(1, demands.getAndSet(0));
    write(batch, true);
  }

  /** Called right after taking the lock: callers waiting for it wait for the returned pass. */
  private CompletableFuture<Void> beginPass() {
    CompletableFuture<Void> pass = new CompletableFuture<>();
    currentPass = pass;
    return pass;
  }

  /** Releases the lock and wakes the callers waiting for it. */
  private void endPass(CompletableFuture<Void> pass) {
    lock.unlock();
    pass.complete(null);
  }

  private static GatewayException unavailable(Throwable cause) {
    return new GatewayException(ErrorCode.AUDIT_UNAVAILABLE, UNAVAILABLE_MESSAGE, cause);
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      if (queue.isEmpty()) {
        writerIdle = true;
        if (queue.isEmpty() && !closed) {
          LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(SYNC_DELAY_MILLIS));
        }
        writerIdle = false;
      }
      lock.lock();
      CompletableFuture<Void> pass = beginPass();
      try {
        queue.drainTo(batch, MAX_BATCH);
        if (!batch.isEmpty()) {
          write(batch, false);
          batch.clear();
        } else if (closed) {
          if (writable) {
            syncQuietly();
          }
          shut = true;
          files.close();
          break;
        } else if (!writable) {
          retry();
        } else if (System.nanoTime() - lastSync >= TimeUnit.MILLISECONDS.toNanos(SYNC_DELAY_MILLIS)) {
          syncQuietly();
        }
      } finally {
        endPass(pass);
      }
    }
  }

  /**
   * Waits at most the group commit window for company: until as many callers wait for a sync as
   * asked for the last one (they wake this thread then), so that a steady load shares syncs
   * without every query waiting the whole window. Called holding the lock.
   */
  private void gather(int expected) {
    long deadline = System.nanoTime() + config.groupCommitWindow().toNanos();
    gatherer = Thread.currentThread();
    gatherUntil = expected;
    try {
      long remaining;
      while (demands.get() < expected && (remaining = deadline - System.nanoTime()) > 0) {
        LockSupport.parkNanos(this, remaining);
      }
    } finally {
      gatherUntil = Integer.MAX_VALUE;
    }
  }

  /**
   * Writes {@code batch}; syncs when {@code demanded}, when the last sync is older than the sync
   * delay, or when fsync is off (then written is as durable as it gets). Completes the futures of
   * what is durable now: every record of a synced write and those written before it, and records
   * nobody waits for as soon as they are written.
   */
  private void write(List<Pending> batch, boolean demanded) {
    if (!writable) {
      retry();
    }
    if (!writable) {
      IOException cause = new IOException(failure);
      batch.forEach(pending -> pending.done.completeExceptionally(cause));
      failUnsynced(cause);
      return;
    }
    if (batch.isEmpty()) {
      // Only sync requests: what they wait for was written by an earlier pass.
      syncQuietly();
      return;
    }
    List<AuditEvent> events = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
      events.add(pending.event);
    }
    boolean sync = demanded || System.nanoTime() - lastSync > TimeUnit.MILLISECONDS.toNanos(SYNC_DELAY_MILLIS);
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
      failed("audit log write failed: " + e.getMessage(), e);
      batch.forEach(pending -> pending.done.completeExceptionally(e));
      return;
    }
    recordsWritten.addAndGet(batch.size());
    batchesWritten.incrementAndGet();
    boolean durable = sync || !config.fsync();
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      if (pending.durable && !durable) {
        unsynced.add(new Written(pending.done, seqs[i]));
      } else {
        pending.done.complete(seqs[i]);
      }
    }
    if (durable) {
      completeUnsynced();
    }
  }

  private void completeUnsynced() {
    unsynced.forEach(written -> written.done.complete(written.seq));
    unsynced.clear();
  }

  private void failUnsynced(Throwable cause) {
    unsynced.forEach(written -> written.done.completeExceptionally(cause));
    unsynced.clear();
  }

  /** After a failed write or sync: refuses queries until a retry succeeds. */
  private void failed(String message, Exception e) {
    failure = message;
    writable = false;
    lastRetry = System.nanoTime();
    files.abandon();
    LOG.error("Cannot write the audit log in {}; refusing queries until it can: {}", files.directory(), e.toString());
    // Written but not synced: whether they reached the disk is unknown, so they count as lost.
    failUnsynced(e);
  }

  /** Records this log wrote since it was opened (each durable once a sync covered it). */
  public long recordsWritten() {
    return recordsWritten.get();
  }

  /** Writes it took: fewer than records when group commit works. */
  public long batchesWritten() {
    return batchesWritten.get();
  }

  /** Syncs to disk it took (none without fsync): one per wave of waiting callers, or per sync delay. */
  public long syncs() {
    return syncs.get();
  }

  /** Time spent in writes that synced and in syncs: divided by {@link #syncs()}, about the fsync latency. */
  public java.time.Duration syncedWriteTime() {
    return java.time.Duration.ofNanos(writeNanos.get());
  }

  /** Syncs what is written and not yet synced (the log is idle, or closing). */
  private void syncQuietly() {
    if (!files.unsynced()) {
      completeUnsynced();
      return;
    }
    try {
      long started = System.nanoTime();
      files.sync();
      lastSync = System.nanoTime();
      syncs.incrementAndGet();
      writeNanos.addAndGet(lastSync - started);
      completeUnsynced();
    } catch (IOException e) {
      failed("audit log sync failed: " + e.getMessage(), e);
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
    if (thread == null) {
      return;
    }
    LockSupport.unpark(thread);
    try {
      thread.join(config.writeTimeout().toMillis() + 5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      // Whoever holds the lock longer is stuck on the disk; what is left then fails with it.
      if (!lock.tryLock(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    CompletableFuture<Void> pass = beginPass();
    try {
      shut = true;
      Pending left;
      while ((left = queue.poll()) != null) {
        left.done.completeExceptionally(new IOException("the audit log is closed"));
      }
    } finally {
      endPass(pass);
    }
  }

  private record Pending(AuditEvent event, CompletableFuture<Long> done, boolean durable) {}

  /** A write-ahead record written and waiting for a sync, with its sequence number. */
  private record Written(CompletableFuture<Long> done, long seq) {}
}
