package dev.sluice.gateway.audit;

import static dev.sluice.gateway.audit.AuditTesting.config;
import static dev.sluice.gateway.audit.AuditTesting.finished;
import static dev.sluice.gateway.audit.AuditTesting.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.cli.SluiceCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Tampering with a log (a byte edited, a line deleted, two lines swapped, a file truncated or
 * removed) is detected by {@code sluice audit verify} and located by file and line; a line torn
 * by a crash is reported as such, not as tampering.
 */
class AuditVerifyTest {
  private static final String SECOND = "audit-00000002.jsonl";
  private static final String THIRD = "audit-00000003.jsonl";

  @TempDir Path directory;

  /** Four or more files of a dozen records or so each, as a busy gateway writes them. */
  @BeforeEach
  void writeLog() {
    try (AuditLog log = AuditLog.open(config(directory).withRotation(3_000, Duration.ofHours(24)))) {
      for (int i = 0; i < 24; i++) {
        log.appendDurably(started("query-" + i, i % 2 == 0 ? "max" : "mia"));
        log.appendDurably(finished("query-" + i));
      }
    }
  }

  @Test
  void anUntouchedLogIsIntact() throws Exception {
    assertThat(files().size()).isGreaterThanOrEqualTo(4);
    Result result = verify();
    assertThat(result.exitCode).isZero();
    assertThat(result.out).contains("The chain is intact.").contains("Head: seq ");
  }

  @Test
  void anEditedByteIsFoundOnItsLine() throws Exception {
    List<String> lines = lines(SECOND);
    lines.set(3, lines.get(3).replaceFirst("\"user\":\"m", "\"user\":\"n"));
    write(SECOND, lines);
    Result result = verify();
    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.out).contains("BROKEN at " + SECOND + " line 4 (edited)");
  }

  @Test
  void anEditThatBreaksTheJsonIsFoundOnItsLine() throws Exception {
    List<String> lines = lines(SECOND);
    lines.set(2, "x" + lines.get(2).substring(1));
    write(SECOND, lines);
    assertThat(verify().out).contains("BROKEN at " + SECOND + " line 3 (edited)").contains("not a valid audit record");
  }

  @Test
  void aDeletedLineIsFoundWhereItWas() throws Exception {
    List<String> lines = lines(SECOND);
    long seq = AuditJson.MAPPER.readTree(lines.get(4)).path("seq").asLong();
    lines.remove(4);
    write(SECOND, lines);
    Result result = verify();
    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.out).contains("BROKEN at " + SECOND + " line 5 (deleted)")
        .contains("records seq " + seq + " are missing");
  }

  @Test
  void swappedLinesAreFoundAsReordered() throws Exception {
    List<String> lines = lines(SECOND);
    Collections.swap(lines, 3, 4);
    write(SECOND, lines);
    Result result = verify();
    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.out).contains("BROKEN at " + SECOND + " line 4 (reordered)");
  }

  @Test
  void aFileTruncatedBetweenLinesIsFoundAtItsEnd() throws Exception {
    List<String> lines = lines(SECOND);
    int kept = lines.size() - 2;
    write(SECOND, lines.subList(0, kept));
    Result result = verify();
    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.out).contains("BROKEN at " + SECOND + " line " + (kept + 1) + " (truncated)")
        .contains("records were removed from the end of " + SECOND);
  }

  @Test
  void aFileTruncatedInsideALineIsNotMistakenForACrash() throws Exception {
    Path second = directory.resolve(SECOND);
    byte[] content = Files.readAllBytes(second);
    Files.write(second, java.util.Arrays.copyOf(content, content.length - 30));
    Result result = verify();
    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.out).contains("BROKEN at " + SECOND).contains("(truncated)")
        .doesNotContain("Torn final line");
  }

  @Test
  void aRemovedFileIsNamed() throws Exception {
    Files.delete(directory.resolve(THIRD));
    Result result = verify();
    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.out).contains("(missing_file)").contains(THIRD + " is missing");
  }

  @Test
  void theOldestFileRemovedWithoutRetentionIsNamed() throws Exception {
    Files.delete(directory.resolve("audit-00000001.jsonl"));
    Result result = verify();
    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.out).contains("audit-00000001.jsonl is missing and no retention record says they were removed");
  }

  @Test
  void anEditedFileHeaderIsFound() throws Exception {
    List<String> lines = lines(THIRD);
    lines.set(0, lines.get(0).replace("\"file\":3", "\"file\":4"));
    write(THIRD, lines);
    assertThat(verify().out).contains("BROKEN at " + THIRD + " line 1 (edited)");
  }

  @Test
  void aTornFinalLineIsReportedAsACrashNotTampering() throws Exception {
    List<Path> files = files();
    Path newest = files.get(files.size() - 1);
    int complete = Files.readAllLines(newest).size();
    Files.writeString(newest, "{\"seq\":999,\"time\":\"2026-03", java.nio.file.StandardOpenOption.APPEND);
    Result result = verify();
    assertThat(result.exitCode).isZero();
    assertThat(result.out)
        .contains("Torn final line after crash: " + newest.getFileName() + " line " + (complete + 1))
        .contains("The chain is intact.");
  }

  @Test
  void aMissingDirectoryCannotBeVerified() {
    Result result = run(directory.resolve("nowhere").toString());
    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err).contains("Cannot verify the audit log");
  }

  @Test
  void everyKindOfDamageStopsAtTheFirstBrokenRecord() throws Exception {
    // Damage in two files: the report names the earlier one.
    List<String> third = lines(THIRD);
    third.remove(3);
    write(THIRD, third);
    List<String> second = lines(SECOND);
    int finished = 2;
    while (!second.get(finished).contains("\"rows\":1")) {
      finished++;
    }
    second.set(finished, second.get(finished).replace("\"rows\":1", "\"rows\":0"));
    write(SECOND, second);
    assertThat(verify().out).contains("BROKEN at " + SECOND + " line " + (finished + 1) + " (edited)");
  }

  private Result verify() {
    return run(directory.toString());
  }

  private static Result run(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new SluiceCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of("audit", "verify"));
    args.addAll(List.of(arguments));
    int exitCode = command.execute(args.toArray(String[]::new));
    return new Result(exitCode, out.toString(), err.toString());
  }

  private record Result(int exitCode, String out, String err) {}

  private List<Path> files() throws Exception {
    return AuditTesting.files(directory);
  }

  private List<String> lines(String file) throws Exception {
    return new ArrayList<>(Files.readAllLines(directory.resolve(file), StandardCharsets.UTF_8));
  }

  private void write(String file, List<String> lines) throws Exception {
    Files.writeString(directory.resolve(file), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }
}
