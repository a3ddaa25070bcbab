package dev.sluice.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.engine.Protocol;
import dev.sluice.gateway.engine.QueryContext;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the audit log cannot be written, queries are refused and no SQL reaches a warehouse (seen
 * from the warehouses' side); once it can be written again, queries run again. The failures are
 * real I/O failures, which root (as tests run in containers) cannot override: the audit directory
 * replaced by a file, and a file system that is full.
 */
class AuditFailClosedTest {
  private static final QueryContext MAX = new QueryContext(
      new Principal("max", Set.of("marketer"), Map.of()), Protocol.HTTP, Optional.of("10.0.0.9"), Optional.empty());
  private static final String SQL = "SELECT COUNT(*) FROM cdp.customers WHERE region = 'EU'";

  @TempDir Path temporary;

  @Test
  void aDirectoryReplacedByAFileRefusesQueriesUntilItIsBack() throws Exception {
    Path directory = temporary.resolve("audit");
    try (AuditedEngine audited = new AuditedEngine(AuditTesting.config(directory), Duration.ofSeconds(30))) {
      QueryPlan plan = audited.engine.prepare(MAX, SQL);
      run(audited, plan);
      int sent = audited.statements().size();

      deleteRecursively(directory);
      Files.writeString(directory, "the audit directory is gone");

      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> run(audited, plan))
            .isInstanceOfSatisfying(GatewayException.class, e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE);
              assertThat(e.sqlState()).isEqualTo("58030");
              assertThat(e.getMessage()).contains("audit log cannot record queries");
            });
      }
      assertThat(audited.statements()).hasSize(sent);
      assertThat(audited.log.writable()).isFalse();

      Files.delete(directory);
      Files.createDirectory(directory);
      awaitRunning(audited, plan);
      assertThat(audited.log.writable()).isTrue();
      assertThat(audited.unlogged()).isEmpty();
    }
    // The file that was deleted under the gateway is missing from the chain, and verify says so.
    AuditVerifier.Report report = new AuditVerifier(Optional.empty()).verify(directory);
    assertThat(report.problem()).hasValueSatisfying(problem -> {
      assertThat(problem.kind()).isEqualTo(AuditVerifier.Kind.MISSING_FILE);
      assertThat(problem.message()).contains("audit-00000001.jsonl is missing");
    });
    List<com.fasterxml.jackson.databind.JsonNode> records = AuditTesting.records(directory);
    assertThat(records.get(0).path("reason").asText()).isEqualTo("recovery");
    assertThat(records.get(0).path("failure").asText()).contains("removed or replaced");
  }

  @Test
  void aFullDiskRefusesQueriesUntilThereIsRoomAndLeavesAnIntactChain() throws Exception {
    Path mount = temporary.resolve("small-disk");
    Files.createDirectories(mount);
    assumeTrue(mountTmpfs(mount, "512k"), "mounting a small tmpfs needs CAP_SYS_ADMIN");
    try {
      Path directory = mount.resolve("audit");
      try (AuditedEngine audited = new AuditedEngine(AuditTesting.config(directory), Duration.ofSeconds(30))) {
        QueryPlan plan = audited.engine.prepare(MAX, SQL);
        String first = run(audited, plan);
        // The writer is idle once the finished record is written: the disk is filled after that.
        AuditTesting.awaitRecord(directory, AuditTesting.type("finished", first));

        Path filler = mount.resolve("filler");
        fill(filler);
        // Records still fit in the last block the log file holds; the first that needs a new one fails.
        int ran = 0;
        while (true) {
          int before = audited.statements().size();
          try {
            run(audited, plan);
            ran++;
            assertThat(ran).as("queries run on a full disk").isLessThan(100);
          } catch (GatewayException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE);
            assertThat(audited.statements()).hasSize(before);
            break;
          }
        }
        int sent = audited.statements().size();
        assertThatThrownBy(() -> run(audited, plan))
            .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE));
        assertThat(audited.statements()).hasSize(sent);
        assertThat(audited.log.writable()).isFalse();

        Files.delete(filler);
        awaitRunning(audited, plan);
        assertThat(audited.unlogged()).isEmpty();
      }
      // Partly written batches were cut back to their durable records: nothing to report.
      AuditVerifier.Report report = new AuditVerifier(Optional.empty()).verify(directory);
      assertThat(report.problem()).isEmpty();
      assertThat(report.tornFinalLine()).isEmpty();
    } finally {
      new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void clientsSeeTheRefusalAndReadinessReportsIt() throws Exception {
    try (GatewayServer server = new GatewayServer(TestingGateway.demoConfig())) {
      server.start();
      assertThat(server.auditReadiness().getAsBoolean()).isTrue();
      Path directory = server.config().audit().directory();
      deleteRecursively(directory);
      Files.writeString(directory, "not a directory");
      try (Connection connection = TestingGateway.connect(server, "protobuf", "max");
          Statement statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.executeQuery(SQL))
            .isInstanceOfSatisfying(SQLException.class, e -> {
              assertThat(e.getSQLState()).isEqualTo("58030");
              assertThat(e.getMessage()).contains("audit log cannot record queries");
            });
      }
      assertThat(server.auditReadiness().getAsBoolean()).isFalse();
    }
  }

  @Test
  void theGatewayDoesNotStartWithoutAWritableAuditDirectory() throws Exception {
    Path file = Files.writeString(temporary.resolve("file"), "x");
    GatewayServer server = new GatewayServer(TestingGateway.demoConfig(
        config -> config.withAudit(config.audit().withDirectory(file.resolve("audit")))));
    assertThatThrownBy(server::start)
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE);
          assertThat(e.getMessage()).contains("audit.directory");
        });
    assertThat(server.auditReadiness().getAsBoolean()).isFalse();
  }

  private static String run(AuditedEngine audited, QueryPlan plan) {
    try (QueryCursor cursor = audited.engine.execute(MAX, plan, List.of(), Optional.empty())) {
      while (!cursor.done()) {
        cursor.fetch(100);
      }
      return cursor.queryId();
    }
  }

  /** The log retries about once a second; the first queries after the fix may still be refused. */
  private static void awaitRunning(AuditedEngine audited, QueryPlan plan) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      try {
        run(audited, plan);
        return;
      } catch (GatewayException e) {
        if (e.code() != ErrorCode.AUDIT_UNAVAILABLE || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static boolean mountTmpfs(Path mount, String size) {
    try {
      Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString())
          .redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Writes until the file system is full. */
  private static void fill(Path filler) {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      // No space left on device: what the test wants.
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
