package dev.sluice.gateway.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit directory's layout: files {@code audit-00000001.jsonl}, {@code audit-00000002.jsonl},
 * ... in chain order, each starting with a {@code file} record; a {@code .tmp} file is one being
 * created (never part of the chain); {@code .lock} keeps a second writer out. The file being
 * written may end with zeros (space made ahead of its records): its records end at the first.
 */
final class AuditFiles {
  static final String LOCK = ".lock";
  static final String TEMP_SUFFIX = ".tmp";
  private static final Pattern NAME = Pattern.compile("audit-([0-9]{8,})\\.jsonl");

  private AuditFiles() {}

  static String name(long number) {
    return String.format("audit-%08d.jsonl", number);
  }

  static OptionalLong number(Path file) {
    Matcher matcher = NAME.matcher(file.getFileName().toString());
    return matcher.matches() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
  }

  /** The log files of {@code directory}, oldest first; empty if the directory does not exist. */
  static List<Path> list(Path directory) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return files;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (number(entry).isPresent() && Files.isRegularFile(entry)) {
          files.add(entry);
        }
      }
    }
    files.sort(Comparator.comparingLong(file -> number(file).orElseThrow()));
    return files;
  }

  /**
   * The end of a file: its last complete line (without the newline; null if it has none) and how
   * many bytes follow it without a newline (a line torn by a crash while it was written).
   */
  record Tail(byte[] lastLine, long tornBytes, long completeLength) {}

  static Tail tail(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = dataEnd(channel);
      long lastNewline = previousNewline(channel, size);
      if (lastNewline < 0) {
        return new Tail(null, size, 0);
      }
      long start = previousNewline(channel, lastNewline) + 1;
      ByteBuffer line = ByteBuffer.allocate(Math.toIntExact(lastNewline - start));
      readFully(channel, line, start);
      return new Tail(line.array(), size - lastNewline - 1, lastNewline + 1);
    }
  }

  /**
   * Where the records of a file end: its size, or the first of the zero bytes the writer puts
   * ahead of its records (the zeros run to the end of the file).
   */
  private static long dataEnd(FileChannel channel) throws IOException {
    long size = channel.size();
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    long position = size;
    while (position > 0) {
      int length = (int) Math.min(chunk.capacity(), position);
      position -= length;
      chunk.clear().limit(length);
      readFully(channel, chunk, position);
      byte[] bytes = chunk.array();
      for (int i = length - 1; i >= 0; i--) {
        if (bytes[i] != 0) {
          return position + i + 1;
        }
      }
    }
    return 0;
  }

  /**
   * Cuts a file at its first zero byte: what a writer that crashed left of the space it had
   * zeroed ahead of its records. Anything after the first zero was never synced, so never
   * acknowledged.
   */
  static void trimPadding(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      long position = 0;
      long size = channel.size();
      while (position < size) {
        chunk.clear().limit((int) Math.min(chunk.capacity(), size - position));
        readFully(channel, chunk, position);
        for (int i = 0; i < chunk.limit(); i++) {
          if (chunk.get(i) == 0) {
            channel.truncate(position + i);
            channel.force(true);
            return;
          }
        }
        position += chunk.limit();
      }
    }
  }

  /** The position of the last newline before {@code end}, or -1. */
  private static long previousNewline(FileChannel channel, long end) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    long position = end;
    while (position > 0) {
      int length = (int) Math.min(chunk.capacity(), position);
      position -= length;
      chunk.clear().limit(length);
      readFully(channel, chunk, position);
      byte[] bytes = chunk.array();
      for (int i = length - 1; i >= 0; i--) {
        if (bytes[i] == '\n') {
          return position + i;
        }
      }
    }
    return -1;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new IOException("unexpected end of file");
      }
      at += read;
    }
    buffer.flip();
  }

  /** The complete lines of a file (without newlines) and the torn bytes after the last one. */
  record Lines(List<byte[]> lines, byte[] torn) {}

  static Lines lines(Path file) throws IOException {
    byte[] content = Files.readAllBytes(file);
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    int end = 0;
    // The records end at the first zero byte, if the file is being written (or its writer crashed).
    while (end < content.length && content[end] != 0) {
      end++;
    }
    for (int i = 0; i < end; i++) {
      if (content[i] == '\n') {
        lines.add(Arrays.copyOfRange(content, start, i));
        start = i + 1;
      }
    }
    return new Lines(lines, Arrays.copyOfRange(content, start, end));
  }
}
