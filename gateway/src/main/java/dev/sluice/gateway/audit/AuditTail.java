package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads an audit log's records, as JSON lines, in the order they were written: the last few, then
 * whatever is appended later, following rotation into newer files. Only complete lines are
 * returned, so a record being written is returned once it is whole.
 */
public final class AuditTail {
  private final Path directory;
  private Path file;
  private long offset;

  public AuditTail(Path directory) {
    this.directory = requireNonNull(directory, "directory is null");
  }

  /** The last {@code count} records; {@link #next()} continues after them. */
  public List<String> last(int count) throws IOException {
    List<Path> files = AuditFiles.list(directory);
    List<String> lines = new ArrayList<>();
    for (int i = files.size() - 1; i >= 0 && lines.size() < count; i--) {
      List<byte[]> content = AuditFiles.lines(files.get(i)).lines();
      for (int j = content.size() - 1; j >= 0 && lines.size() < count; j--) {
        lines.add(0, new String(content.get(j), StandardCharsets.UTF_8));
      }
    }
    if (!files.isEmpty()) {
      file = files.get(files.size() - 1);
      offset = AuditFiles.tail(file).completeLength();
    }
    return lines;
  }

  /** The records written since the last call (from the start of the log on the first call). */
  public List<String> next() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      List<Path> files = AuditFiles.list(directory);
      if (file == null) {
        if (files.isEmpty()) {
          return lines;
        }
        file = files.get(0);
        offset = 0;
      }
      try {
        readFrom(lines);
      } catch (NoSuchFileException e) {
        // Removed by retention before we finished it; carry on with the next file.
      }
      Path following = following(files);
      if (following == null) {
        return lines;
      }
      file = following;
      offset = 0;
    }
  }

  private Path following(List<Path> files) {
    long current = AuditFiles.number(file).orElseThrow();
    for (Path candidate : files) {
      OptionalLong number = AuditFiles.number(candidate);
      if (number.isPresent() && number.getAsLong() > current) {
        return candidate;
      }
    }
    return null;
  }

  private void readFrom(List<String> lines) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size <= offset) {
        return;
      }
      ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(size - offset));
      while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
        // Reads until the buffer is full or the file ends.
      }
      byte[] bytes = buffer.array();
      int start = 0;
      for (int i = 0; i < buffer.position(); i++) {
        if (bytes[i] == 0) {
          // The space the writer made ahead of its records: nothing more yet.
          break;
        }
        if (bytes[i] == '\n') {
          lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      offset += start;
    }
  }
}
