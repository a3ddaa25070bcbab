package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an audit directory's hash chain from its first record to its last, across files, and
 * reports the first record where it breaks: a line edited, lines deleted or reordered, a file
 * truncated or missing. A torn last line at the end of the newest file is what a crash while
 * writing leaves behind, and is reported as such rather than as tampering.
 *
 * <p>What a hash chain alone cannot show: records removed from the very end of the newest file,
 * or the newest file removed whole, leave a shorter chain that is still intact. The report's head
 * (last sequence number and hash) is what to keep elsewhere to close that gap.
 */
public final class AuditVerifier {
  private final Optional<String> hmacKey;

  public AuditVerifier(Optional<String> hmacKey) {
    this.hmacKey = requireNonNull(hmacKey, "hmacKey is null");
  }

  /** What broke the chain. */
  public enum Kind { EDITED, DELETED, REORDERED, TRUNCATED, MISSING_FILE }

  /** The first broken record: its file, line (1-based) and what is wrong. */
  public record Problem(Kind kind, String file, long line, String message) {}

  /** A last line without its newline at the end of the newest file: a crash during a write. */
  public record TornLine(String file, long line, long bytes) {}

  /** The outcome; {@link #intact()} unless a problem was found. */
  public record Report(
      Path directory,
      int files,
      long records,
      String hash,
      Optional<Long> headSeq,
      Optional<String> headHash,
      Optional<Problem> problem,
      Optional<TornLine> tornFinalLine) {
    public boolean intact() {
      return problem.isEmpty();
    }
  }

  /** The log cannot be checked at all: no such directory, unreadable files, or the key is missing. */
  public static final class CannotVerify extends Exception {
    public CannotVerify(String message) {
      super(message);
    }
  }

  public Report verify(Path directory) throws CannotVerify {
    requireNonNull(directory, "directory is null");
    if (!Files.isDirectory(directory)) {
      throw new CannotVerify(directory + " is not a directory");
    }
    try {
      return new Walk(directory, AuditFiles.list(directory)).run();
    } catch (IOException e) {
      throw new CannotVerify("cannot read " + directory + ": " + e.getMessage());
    }
  }

  /** One pass over the files, in chain order. */
  private final class Walk {
    private final Path directory;
    private final List<Path> files;
    private final List<JsonNode> retentions = new ArrayList<>();
    private ChainHash chain;
    private long records;
    private long lastSeq;
    private String lastHash;
    private Problem problem;
    private TornLine torn;
    private JsonNode firstHeader;
    // What the file before the current one ended with.
    private Optional<String> previousFile = Optional.empty();
    private long previousTornBytes;
    private long previousLines;

    Walk(Path directory, List<Path> files) {
      this.directory = directory;
      this.files = files;
    }

    Report run() throws IOException, CannotVerify {
      for (int i = 0; i < files.size() && problem == null; i++) {
        file(files.get(i), i == files.size() - 1);
      }
      Problem start = files.isEmpty() ? null : checkStart();
      return new Report(
          directory,
          files.size(),
          records,
          chain == null ? ChainHash.SHA256 : chain.name(),
          records == 0 ? Optional.empty() : Optional.of(lastSeq),
          records == 0 ? Optional.empty() : Optional.of(lastHash),
          Optional.ofNullable(start != null ? start : problem),
          Optional.ofNullable(torn));
    }

    private void file(Path file, boolean newest) throws IOException, CannotVerify {
      String name = file.getFileName().toString();
      long number = AuditFiles.number(file).orElseThrow();
      if (previousFile.isPresent()) {
        long expected = AuditFiles.number(Path.of(previousFile.get())).orElseThrow() + 1;
        if (number != expected) {
          fail(Kind.MISSING_FILE, name, 1, missing(expected, number) + " (the chain goes from "
              + previousFile.get() + " to " + name + ")");
          return;
        }
      }
      AuditFiles.Lines content = AuditFiles.lines(file);
      List<byte[]> lines = content.lines();
      if (lines.isEmpty()) {
        fail(Kind.TRUNCATED, name, 1, name + " holds no complete record: it was truncated");
        return;
      }
      for (int index = 0; index < lines.size() && problem == null; index++) {
        line(name, number, lines, index);
      }
      if (problem != null) {
        return;
      }
      previousFile = Optional.of(name);
      previousTornBytes = content.torn().length;
      previousLines = lines.size();
      if (content.torn().length > 0 && newest) {
        torn = new TornLine(name, lines.size() + 1L, content.torn().length);
      }
    }

    private void line(String name, long number, List<byte[]> lines, int index) throws CannotVerify {
      long lineNumber = index + 1L;
      JsonNode record = AuditReader.parse(lines.get(index));
      if (record == null || !record.path("seq").canConvertToLong() || !record.path("prev").isTextual()) {
        fail(Kind.EDITED, name, lineNumber, "line " + lineNumber + " is not a valid audit record: it was edited");
        return;
      }
      long seq = record.path("seq").asLong();
      if (index == 0 && !header(name, number, record)) {
        return;
      }
      if (index == 0 && firstHeader == null) {
        firstHeader = record;
      } else {
        String prev = record.path("prev").asText();
        if (seq != lastSeq + 1) {
          Kind kind = sequenceProblem(lines, index, lastSeq + 1);
          String message = describeSequence(lines, index, seq, lastSeq + 1, name);
          if (kind == Kind.TRUNCATED) {
            // Found at the next file's first record, but the records are missing from this one.
            fail(kind, previousFile.orElse(name), previousLines + 1, message);
          } else {
            fail(kind, name, lineNumber, message);
          }
          return;
        }
        if (!prev.equals(lastHash)) {
          editedBefore(name, lines, index, lineNumber);
          return;
        }
      }
      if (record.path("type").asText().equals("retention")) {
        retentions.add(record);
      }
      records++;
      lastSeq = seq;
      lastHash = chain.hash(lines.get(index));
    }

    /** Checks a file's first record; false after reporting a problem. */
    private boolean header(String name, long number, JsonNode record) throws CannotVerify {
      if (!record.path("type").asText().equals("file") || record.path("file").asLong() != number) {
        fail(Kind.EDITED, name, 1, "line 1 of " + name + " is not the file's own first record (type file, file "
            + number + "): it was edited, removed or moved");
        return false;
      }
      if (chain == null) {
        chain = chainFor(record.path("hash").asText());
      }
      if (previousFile.isPresent()) {
        if (!previousFile.get().equals(record.path("previous_file").asText())) {
          fail(Kind.EDITED, name, 1, name + " says it follows " + record.path("previous_file").asText()
              + ", not " + previousFile.get());
          return false;
        }
        long acknowledged = record.path("torn_line").path("bytes").asLong(0);
        if (previousTornBytes > 0 && acknowledged != previousTornBytes) {
          fail(Kind.TRUNCATED, previousFile.get(), previousLines + 1, previousFile.get() + " ends with " + previousTornBytes
              + " bytes without a newline that no restart recorded as torn: it was truncated or appended to");
          return false;
        }
      }
      return true;
    }

    private ChainHash chainFor(String name) throws CannotVerify {
      if (name.equals(ChainHash.HMAC_SHA256)) {
        if (hmacKey.isEmpty()) {
          throw new CannotVerify("the log is chained with HMAC-SHA256: give its key (--hmac-key-env NAME)");
        }
        return ChainHash.hmacSha256(hmacKey.get());
      }
      return ChainHash.sha256();
    }

    /**
     * The record at {@code index} does not chain to the one before. Either the record before was
     * edited (then the record after still chains to this one) or this record was (then it does not).
     */
    private void editedBefore(String name, List<byte[]> lines, int index, long lineNumber) {
      String hint = chain.name().equals(ChainHash.HMAC_SHA256) && records <= 1 ? " (or the HMAC key is wrong)" : "";
      boolean nextChains = index + 1 < lines.size()
          && chain.hash(lines.get(index)).equals(AuditReader.parse(lines.get(index + 1)) == null
              ? null : AuditReader.parse(lines.get(index + 1)).path("prev").asText());
      if (index == 0) {
        String before = previousFile.orElse(name);
        fail(Kind.EDITED, before, previousLines, "line " + previousLines + " of " + before + " (seq " + lastSeq
            + ", its last record) does not match what " + name + " line 1 recorded for it: it was edited" + hint);
      } else if (nextChains || index + 1 >= lines.size()) {
        fail(Kind.EDITED, name, lineNumber - 1, "line " + (lineNumber - 1) + " (seq " + lastSeq
            + ") was edited: its hash does not match the prev of line " + lineNumber + hint);
      } else {
        fail(Kind.EDITED, name, lineNumber, "line " + lineNumber + " (seq " + (lastSeq + 1)
            + ") was edited: its prev does not match line " + (lineNumber - 1) + hint);
      }
    }

    private Kind sequenceProblem(List<byte[]> lines, int index, long expected) {
      if (index == 0) {
        return Kind.TRUNCATED;
      }
      for (int ahead = index + 1; ahead < lines.size(); ahead++) {
        JsonNode later = AuditReader.parse(lines.get(ahead));
        if (later != null && later.path("seq").asLong() == expected) {
          return Kind.REORDERED;
        }
      }
      JsonNode record = AuditReader.parse(lines.get(index));
      return record.path("seq").asLong() < expected ? Kind.REORDERED : Kind.DELETED;
    }

    private String describeSequence(List<byte[]> lines, int index, long seq, long expected, String name) {
      long lineNumber = index + 1L;
      return switch (sequenceProblem(lines, index, expected)) {
        case TRUNCATED -> previousFile.orElse(name) + " ends at seq " + (expected - 1) + " but " + name
            + " continues after seq " + (seq - 1) + ": records were removed from the end of "
            + previousFile.orElse(name);
        case REORDERED -> "line " + lineNumber + " holds seq " + seq + " where seq " + expected
            + " belongs: records were reordered";
        default -> "records seq " + expected + (seq - 1 > expected ? ".." + (seq - 1) : "")
            + " are missing before line " + lineNumber + ": they were deleted";
      };
    }

    /** The first file present must follow either nothing or files retention removed. */
    private Problem checkStart() {
      if (firstHeader == null) {
        return null;
      }
      String name = files.get(0).getFileName().toString();
      long number = AuditFiles.number(files.get(0)).orElseThrow();
      long seq = firstHeader.path("seq").asLong();
      String prev = firstHeader.path("prev").asText();
      if (number == 1) {
        if (seq != 1 || !prev.equals(ChainHash.GENESIS)) {
          return new Problem(Kind.EDITED, name, 1, name + " should start the log (seq 1, prev 0...0): it was edited");
        }
        return null;
      }
      Optional<JsonNode> retention = retentions.stream()
          .filter(record -> record.path("removed_through_file").asLong() == number - 1)
          .findFirst();
      if (retention.isEmpty()) {
        return new Problem(Kind.MISSING_FILE, name, 1, missing(1, number)
            + " and no retention record says they were removed");
      }
      if (retention.get().path("removed_last_seq").asLong() != seq - 1
          || !retention.get().path("removed_last_hash").asText().equals(prev)) {
        return new Problem(Kind.EDITED, name, 1, name
            + " does not continue from the last record that retention says it removed");
      }
      return null;
    }

    private void fail(Kind kind, String file, long line, String message) {
      if (problem == null) {
        problem = new Problem(kind, file, line, message);
      }
    }
  }

  private static String missing(long from, long to) {
    return to - from == 1
        ? AuditFiles.name(from) + " is missing"
        : AuditFiles.name(from) + " to " + AuditFiles.name(to - 1) + " are missing";
  }
}
