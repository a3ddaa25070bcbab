package dev.sluice.gateway.audit;

import static dev.sluice.gateway.audit.AuditTesting.config;
import static dev.sluice.gateway.audit.AuditTesting.finished;
import static dev.sluice.gateway.audit.AuditTesting.started;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.cli.SluiceCommand;
import dev.sluice.gateway.engine.AccessSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice audit tail [-f]} and {@code sluice audit search} on a log written for the test. */
class AuditCommandTest {
  @TempDir Path directory;

  /** Three hours ago: max read e-mails; now: max read e-mails, max read regions, mia read e-mails. */
  @BeforeEach
  void writeLog() {
    TestingClock earlier = new TestingClock(Instant.now().minus(Duration.ofHours(3)));
    try (AuditLog log = AuditLog.open(config(directory), earlier)) {
      log.appendDurably(started("old-max-email", "max"));
      log.appendDurably(finished("old-max-email"));
    }
    try (AuditLog log = AuditLog.open(config(directory))) {
      log.appendDurably(started("new-max-email", "max"));
      log.appendDurably(finished("new-max-email"));
      log.appendDurably(regionsOnly("new-max-regions", "max"));
      log.appendDurably(started("new-mia-email", "mia"));
    }
  }

  private static QueryStarted regionsOnly(String queryId, String user) {
    QueryStarted template = started(queryId, user);
    return new QueryStarted(queryId, template.caller(), Optional.of("SELECT region FROM cdp.customers"), false,
        ChainHash.sha256Hex("SELECT region FROM cdp.customers"),
        new AccessSummary(List.of("cdp.customers"), List.of("cdp.customers.region"), List.of(), List.of()),
        template.pushdowns(), java.util.OptionalInt.empty());
  }

  @Test
  void searchFindsAUsersRecentReadsOfAColumn() {
    Result result = run("audit", "search", "--user", "max", "--column", "customers.email", "--since", "1h", directory.toString());
    assertThat(result.exitCode).isZero();
    assertThat(result.lines()).singleElement().satisfies(line -> {
      assertThat(line).contains("max").contains("OK").contains("new-max-").contains("masks=email:hash")
          .contains("SELECT email FROM cdp.customers WHERE customer_id = 42");
    });
    // Without --since the older read shows too, newest first.
    assertThat(run("audit", "search", "--user", "max", "--column", "email", directory.toString()).lines())
        .hasSize(2)
        .satisfies(lines -> assertThat(lines.get(0)).contains("new-max-"))
        .satisfies(lines -> assertThat(lines.get(1)).contains("old-max-"));
    assertThat(run("audit", "search", "--table", "cdp.customers", "--status", "started", directory.toString()).lines())
        .hasSize(2);
  }

  @Test
  void searchPrintsJson() throws Exception {
    Result result = run("audit", "search", "--user", "mia", "--json", directory.toString());
    assertThat(result.lines()).hasSize(1);
    JsonNode entry = AuditJson.MAPPER.readTree(result.lines().get(0));
    assertThat(entry.path("query_id").asText()).isEqualTo("new-mia-email");
    assertThat(entry.path("status").asText()).isEqualTo("started");
    assertThat(entry.path("masks").get(0).path("mask").asText()).isEqualTo("hash");
    assertThat(entry.path("columns")).hasSize(2);
  }

  @Test
  void searchRefusesAnUnreadableTime() {
    Result result = run("audit", "search", "--since", "yesterday", directory.toString());
    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err).contains("--since: expected an age such as 1h or 7d");
  }

  @Test
  void tailPrintsTheLastRecords() {
    Result result = run("audit", "tail", "-n", "3", directory.toString());
    assertThat(result.exitCode).isZero();
    assertThat(result.lines()).hasSize(3);
    assertThat(result.lines().get(0)).contains("finished").contains("new-max-");
    assertThat(result.lines().get(2)).contains("started").contains("mia").contains("SELECT email");
    assertThat(run("audit", "tail", "-n", "1", "--json", directory.toString()).lines().get(0))
        .startsWith("{\"seq\":").contains("\"query_id\":\"new-mia-email\"");
  }

  @Test
  void tailFollowsNewRecordsAcrossRotation() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new SluiceCommand());
    command.setOut(new PrintWriter(out, true));
    Thread follower = new Thread(() -> command.execute(
        "audit", "tail", "-n", "1", "-f", "--poll-interval", "20", directory.toString()));
    follower.start();
    try (AuditLog log = AuditLog.open(config(directory).withRotation(2_000, Duration.ofHours(24)))) {
      for (int i = 0; i < 8; i++) {
        log.appendDurably(started("followed-" + i, "ana"));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      // Query ids are shortened to their first 8 characters.
      while (countOf(out.toString(), "started   ana  followed") < 8) {
        assertThat(System.nanoTime()).as("followed records printed").isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(AuditTesting.files(directory).size()).isGreaterThan(3);
    } finally {
      follower.interrupt();
      follower.join(5_000);
    }
    assertThat(out.toString()).contains("file      audit-00000004.jsonl (rotation)");
  }

  private static int countOf(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  private static Result run(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new SluiceCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(arguments);
    return new Result(exitCode, out.toString(), err.toString());
  }

  private record Result(int exitCode, String out, String err) {
    List<String> lines() {
      List<String> lines = new ArrayList<>();
      out.lines().filter(line -> !line.isBlank()).forEach(lines::add);
      return lines;
    }
  }
}
