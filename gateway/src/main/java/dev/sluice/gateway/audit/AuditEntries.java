package dev.sluice.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The queries of an audit log read one line at a time, so that memory does not grow with the log:
 * a query is returned as soon as its finished record is read (rejected ones at once), and only
 * queries still waiting for theirs are held; those without one are returned at the end, with
 * status {@code started}. Only complete lines count; lines that do not parse are skipped.
 */
final class AuditEntries implements Iterator<QueryLogEntry>, AutoCloseable {
  private final Deque<Path> files;
  private final Optional<Instant> since;
  private final Optional<Instant> until;
  private final Optional<String> user;
  private final Map<String, AuditReader.Builder> waiting = new LinkedHashMap<>();
  private final Deque<QueryLogEntry> ready = new ArrayDeque<>();
  private InputStream in;
  private boolean exhausted;

  AuditEntries(List<Path> files, Optional<Instant> since, Optional<Instant> until, Optional<String> user) {
    this.files = new ArrayDeque<>(files);
    this.since = since;
    this.until = until;
    this.user = user;
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && !exhausted) {
      byte[] line = nextLine();
      if (line == null) {
        waiting.values().forEach(builder -> ready.add(builder.build()));
        waiting.clear();
        exhausted = true;
      } else {
        accept(line);
      }
    }
    return !ready.isEmpty();
  }

  @Override
  public QueryLogEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  private void accept(byte[] line) {
    JsonNode record = AuditReader.parse(line);
    if (record == null) {
      return;
    }
    String type = record.path("type").asText();
    if (type.equals(QueryFinished.TYPE)) {
      AuditReader.Builder builder = waiting.remove(record.path("query_id").asText());
      if (builder != null) {
        builder.finished = record;
        ready.add(builder.build());
      }
      return;
    }
    if (!type.equals(QueryStarted.TYPE) && !type.equals(QueryRejected.TYPE)) {
      return;
    }
    Optional<Instant> time = AuditReader.time(record);
    if (time.isEmpty()
        || since.map(s -> time.get().isBefore(s)).orElse(false)
        || until.map(u -> !time.get().isBefore(u)).orElse(false)
        || user.map(u -> !u.equalsIgnoreCase(record.path("user").asText())).orElse(false)) {
      return;
    }
    AuditReader.Builder builder = new AuditReader.Builder(record, time.get());
    if (type.equals(QueryStarted.TYPE)) {
      waiting.put(record.path("query_id").asText(), builder);
    } else {
      ready.add(builder.build());
    }
  }

  /** The next complete line of the log, across files; null at the end. */
  private byte[] nextLine() {
    ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    while (true) {
      if (in == null && !openNextFile()) {
        return null;
      }
      try {
        int b;
        // A zero byte starts the space the writer made ahead of its records: the file ends there.
        while ((b = in.read()) > 0) {
          if (b == '\n') {
            return line.toByteArray();
          }
          line.write(b);
        }
      } catch (IOException e) {
        // Unreadable from here on (removed by retention while read): go on with the next file.
      }
      // The end of a file: bytes without a newline are a line still being written, or torn.
      line.reset();
      closeFile();
    }
  }

  private boolean openNextFile() {
    while (!files.isEmpty()) {
      Path file = files.poll();
      try {
        in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        return true;
      } catch (NoSuchFileException e) {
        // Removed by retention after it was listed: its queries have left the log.
      } catch (IOException e) {
        // Unreadable: the reader shows what it can; verify reports damage.
      }
    }
    return false;
  }

  private void closeFile() {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // Only read from; nothing to lose.
      }
      in = null;
    }
  }

  @Override
  public void close() {
    closeFile();
    files.clear();
    exhausted = true;
  }
}
