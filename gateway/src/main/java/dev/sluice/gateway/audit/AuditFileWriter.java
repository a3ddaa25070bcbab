package dev.sluice.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.gateway.config.AuditConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The files of the audit log, used by the log's one writer thread only: appends batches of
 * records to the current file (one write, one fsync), chaining each to the line before; starts a
 * new file at start-up, when the current one is too big or too old, and after a failure; deletes
 * old files under the retention rules after recording that it does.
 *
 * <p>The in-memory chain state (last sequence number and hash, file length) only ever describes
 * durable records, so after a failed write the file is cut back to them and the chain goes on.
 *
 * <p>The file being written is extended with zeros a few megabytes ahead of its records, so that
 * syncing a batch only flushes data: appending would change the file's size, which costs a file
 * system journal commit on every sync. The zeros are cut off at rotation, at close and, after a
 * crash, at the next start; readers stop at the first zero byte (records never contain one).
 */
final class AuditFileWriter {
  private final Path directory;
  private final AuditConfig config;
  private final ChainHash chain;
  private final Clock clock;
  private static final int PREALLOCATION = 4 * 1024 * 1024;

  private FileChannel lockChannel;
  private FileLock lock;
  private FileChannel channel;
  private Path current;
  private Object fileKey;
  private long fileNumber;
  private long size;
  // Bytes of the current file written with zeros ahead of its records (at least size).
  private long allocated;
  // False once preallocating failed for lack of room: not tried again until the next file.
  private boolean preallocating;
  private Instant openedAt;
  private long lastSeq;
  private String lastHash = ChainHash.GENESIS;
  // Records written but not yet synced; always false without fsync.
  private boolean unsynced;

  AuditFileWriter(AuditConfig config, ChainHash chain, Clock clock) {
    this.directory = config.directory().toAbsolutePath().normalize();
    this.config = config;
    this.chain = chain;
    this.clock = clock;
  }

  Path directory() {
    return directory;
  }

  /**
   * Takes the directory (creating it) and starts a new file chained to the last complete record
   * of the newest one, noting a line a crash left torn.
   */
  void open() throws IOException {
    Files.createDirectories(directory);
    lock();
    deleteTemporaryFiles();
    ObjectNode start = AuditJson.MAPPER.createObjectNode().put("reason", "start");
    List<Path> files = AuditFiles.list(directory);
    if (!files.isEmpty()) {
      Path newest = files.get(files.size() - 1);
      AuditFiles.trimPadding(newest);
      AuditFiles.Tail tail = AuditFiles.tail(newest);
      if (tail.lastLine() == null) {
        throw new IOException(newest + " holds no complete record; check it with: sluice audit verify " + directory);
      }
      lastSeq = seqOf(tail.lastLine(), newest);
      lastHash = chain.hash(tail.lastLine());
      fileNumber = AuditFiles.number(newest).orElseThrow();
      current = newest;
      if (tail.tornBytes() > 0) {
        start.putObject("torn_line").put("file", newest.getFileName().toString()).put("bytes", tail.tornBytes());
      }
    }
    startFile(start);
  }

  /**
   * Appends {@code events}; with {@code sync}, they (and every record before them) are durable
   * when this returns. Returns their sequence numbers.
   */
  long[] write(List<AuditEvent> events, boolean sync) throws IOException {
    if (size >= config.rotateSize() || !clock.instant().isBefore(openedAt.plus(config.rotateAge()))) {
      startFile(AuditJson.MAPPER.createObjectNode().put("reason", "rotation"));
      applyRetention();
    }
    return append(events, sync);
  }

  /**
   * Writes zeros from the end of the file to past {@code needed}, and syncs them with the file's
   * new size: records written there later change no metadata. Without fsync there is no point.
   * Only an optimization: when the disk has no room for it, records are simply appended (and
   * fail when there is no room for them either).
   */
  private void preallocate(long needed) throws IOException {
    long target = Math.max(needed, allocated) + PREALLOCATION;
    ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
    long position = Math.max(allocated, size);
    try {
      while (position < target) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), target - position));
        while (zeros.hasRemaining()) {
          position += channel.write(zeros, position);
        }
      }
      channel.force(true);
      allocated = target;
    } catch (IOException e) {
      channel.truncate(Math.max(allocated, size));
      preallocating = false;
    }
  }

  /** Cuts the zeros ahead of the records off the current file and syncs it (rotation, close). */
  private void trimCurrent() throws IOException {
    if (channel != null && allocated > size) {
      channel.truncate(size);
      channel.force(true);
      allocated = size;
      unsynced = false;
    }
  }

  /** Whether records were written since the last sync. */
  boolean unsynced() {
    return unsynced;
  }

  /** Makes every record written so far durable. */
  void sync() throws IOException {
    if (unsynced && channel != null) {
      channel.force(false);
    }
    unsynced = false;
  }

  private long[] append(List<AuditEvent> events, boolean sync) throws IOException {
    checkCurrentFileIsOurs();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(512 * events.size());
    long[] seqs = new long[events.size()];
    long seq = lastSeq;
    String prev = lastHash;
    for (int i = 0; i < events.size(); i++) {
      seq++;
      byte[] line = line(seq, events.get(i), prev);
      prev = chain.hash(line);
      buffer.write(line);
      buffer.write('\n');
      seqs[i] = seq;
    }
    if (config.fsync() && preallocating && size + buffer.size() > allocated) {
      preallocate(size + buffer.size());
    }
    ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
    long position = size;
    while (bytes.hasRemaining()) {
      position += channel.write(bytes, position);
    }
    unsynced = config.fsync();
    if (sync) {
      sync();
    }
    // Only now: if writing or syncing failed, recovery cuts the file back to the state before.
    size = position;
    allocated = Math.max(allocated, size);
    lastSeq = seq;
    lastHash = prev;
    return seqs;
  }

  /**
   * After a failed write: cuts the current file back to its durable records (if it is still the
   * file this writer created) and starts a new file that says why.
   */
  void recover(String failure) throws IOException {
    closeChannel();
    unsynced = false;
    if (current != null && fileKey != null && isOurs(current)) {
      // Also cuts off the zeros made ahead of the records.
      try (FileChannel file = FileChannel.open(current, StandardOpenOption.WRITE)) {
        file.truncate(size);
        file.force(true);
      }
      allocated = size;
    }
    startFile(AuditJson.MAPPER.createObjectNode().put("reason", "recovery").put("failure", failure));
  }

  /** Forgets the open file after a failure; {@link #recover} continues the chain. */
  void abandon() {
    closeChannel();
  }

  void close() {
    try {
      sync();
      trimCurrent();
    } catch (IOException e) {
      // Closing after a failure: what could be synced already was.
    }
    closeChannel();
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      // The lock goes with the process anyway.
    }
  }

  /**
   * Starts the next file: its first record (type {@code file}) names it, the file before it and
   * the hash algorithm, and chains to the last record of that file. The file appears under its
   * name only once that record is durable, so every log file starts with one.
   */
  private void startFile(ObjectNode details) throws IOException {
    // The new file's first record vouches for the last record of this one: this one must be
    // durable, and finished, first.
    sync();
    trimCurrent();
    long number = fileNumber + 1;
    Path target = directory.resolve(AuditFiles.name(number));
    Path temporary = directory.resolve(AuditFiles.name(number) + AuditFiles.TEMP_SUFFIX);
    FileHeader header = new FileHeader(
        number, chain.name(), fileNumber > 0 ? Optional.of(AuditFiles.name(fileNumber)) : Optional.empty(), details);
    byte[] line = line(lastSeq + 1, header, lastHash);
    FileChannel created = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      ByteBuffer bytes = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
      while (bytes.hasRemaining()) {
        created.write(bytes);
      }
      created.force(true);
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory();
    } catch (IOException | RuntimeException e) {
      created.close();
      Files.deleteIfExists(temporary);
      throw e;
    }
    closeChannel();
    channel = created;
    current = target;
    fileKey = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    fileNumber = number;
    size = line.length + 1L;
    allocated = size;
    preallocating = true;
    openedAt = clock.instant();
    lastSeq++;
    lastHash = chain.hash(line);
  }

  /**
   * Deletes the oldest rotated files beyond {@code max_files} or older than {@code max_age}, only
   * ever a prefix of the chain, after a durable {@code retention} record says which files go and
   * what their last record was, so that verify can tell retention from deletion.
   */
  private void applyRetention() throws IOException {
    AuditConfig.Retention retention = config.retention();
    if (retention.maxFiles() == 0 && retention.maxAge().isEmpty()) {
      return;
    }
    List<Path> files = AuditFiles.list(directory);
    List<Path> removed = new ArrayList<>();
    Instant now = clock.instant();
    for (Path file : files.subList(0, Math.max(0, files.size() - 1))) {
      boolean tooMany = retention.maxFiles() > 0 && files.size() - removed.size() > retention.maxFiles();
      boolean tooOld = retention.maxAge().isPresent()
          && Files.getLastModifiedTime(file).toInstant().isBefore(now.minus(retention.maxAge().get()));
      if (!tooMany && !tooOld) {
        break;
      }
      removed.add(file);
    }
    if (removed.isEmpty()) {
      return;
    }
    Path last = removed.get(removed.size() - 1);
    AuditFiles.Tail tail = AuditFiles.tail(last);
    if (tail.lastLine() == null) {
      throw new IOException(last + " holds no complete record; retention stopped");
    }
    append(List.of(new RetentionRecord(
        removed.stream().map(file -> file.getFileName().toString()).toList(),
        AuditFiles.number(last).orElseThrow(),
        seqOf(tail.lastLine(), last),
        chain.hash(tail.lastLine()))), true);
    for (Path file : removed) {
      Files.deleteIfExists(file);
    }
    forceDirectory();
  }

  private byte[] line(long seq, AuditEvent event, String prev) throws IOException {
    ObjectNode record = AuditJson.MAPPER.createObjectNode();
    record.put("seq", seq);
    record.put("time", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
    record.put("type", event.type());
    event.writeFields(record);
    record.put("prev", prev);
    return AuditJson.MAPPER.writeValueAsBytes(record);
  }

  /**
   * Records written to a file someone deleted or replaced would be lost however often they are
   * synced, so the file must still be the one this writer created before every batch.
   */
  private void checkCurrentFileIsOurs() throws IOException {
    if (channel == null) {
      throw new IOException("the audit log has no open file");
    }
    if (!isOurs(current)) {
      throw new IOException(current + " was removed or replaced while the gateway was writing it");
    }
  }

  private boolean isOurs(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    return Objects.equals(key, fileKey);
  }

  private void lock() throws IOException {
    lockChannel = FileChannel.open(
        directory.resolve(AuditFiles.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      lockChannel = null;
      throw new IOException("another gateway is writing the audit log in " + directory);
    }
  }

  private void deleteTemporaryFiles() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + AuditFiles.TEMP_SUFFIX)) {
      for (Path entry : entries) {
        // A file whose first record was never durable: nothing in it was ever acknowledged.
        Files.deleteIfExists(entry);
      }
    }
  }

  /** Makes a created, renamed or deleted file's directory entry durable too. */
  private void forceDirectory() {
    if (!config.fsync()) {
      return;
    }
    try (FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
      directoryChannel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or sync a directory; the file contents are synced regardless.
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Already failing or closing; the durable state is what counts.
      }
      channel = null;
    }
  }

  private static long seqOf(byte[] line, Path file) throws IOException {
    JsonNode record;
    try {
      record = AuditJson.MAPPER.readTree(line);
    } catch (IOException e) {
      throw new IOException("the last record of " + file + " is not valid JSON; check it with sluice audit verify", e);
    }
    JsonNode seq = record == null ? null : record.get("seq");
    if (seq == null || !seq.canConvertToLong()) {
      throw new IOException("the last record of " + file + " has no sequence number; check it with sluice audit verify");
    }
    return seq.asLong();
  }

  /** The first record of every file. */
  private record FileHeader(long number, String hash, Optional<String> previousFile, ObjectNode details)
      implements AuditEvent {
    @Override
    public String type() {
      return "file";
    }

    @Override
    public void writeFields(ObjectNode record) {
      record.put("file", number);
      record.put("hash", hash);
      record.put("previous_file", previousFile.orElse(null));
      record.setAll(details);
    }
  }

  /** Written before rotated files are deleted under the retention rules. */
  private record RetentionRecord(List<String> removed, long removedThroughFile, long lastSeq, String lastHash)
      implements AuditEvent {
    @Override
    public String type() {
      return "retention";
    }

    @Override
    public void writeFields(ObjectNode record) {
      AuditJson.strings(record.putArray("removed"), removed);
      record.put("removed_through_file", removedThroughFile);
      record.put("removed_last_seq", lastSeq);
      record.put("removed_last_hash", lastHash);
    }
  }
}
