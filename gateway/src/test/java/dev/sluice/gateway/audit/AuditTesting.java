package dev.sluice.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.config.AuditConfig;
import dev.sluice.gateway.engine.AccessSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Helpers for audit tests: configurations, sample records, and reading records back from disk. */
final class AuditTesting {
  private AuditTesting() {}

  static AuditConfig config(Path directory) {
    return AuditConfig.defaults().withDirectory(directory);
  }

  static QueryStarted started(String queryId, String user) {
    return new QueryStarted(
        queryId,
        new Caller(Optional.of(user), List.of("marketer"), Optional.of("avatica"), Optional.of("127.0.0.1"),
            Optional.of("test"), Optional.empty()),
        Optional.of("SELECT email FROM cdp.customers WHERE customer_id = 42"),
        false,
        ChainHash.sha256Hex("SELECT email FROM cdp.customers WHERE customer_id = 42"),
        new AccessSummary(
            List.of("cdp.customers"),
            List.of("cdp.customers.customer_id", "cdp.customers.email"),
            List.of(new AccessSummary.AppliedMask("cdp.customers", "email", "hash")),
            List.of()),
        List.of(new QueryStarted.PushdownSql("dw", Optional.of("SELECT 1"))),
        java.util.OptionalInt.empty());
  }

  static QueryFinished finished(String queryId) {
    return new QueryFinished(queryId, "ok", Optional.empty(), 1, java.util.OptionalLong.empty(),
        new QueryFinished.Timings(Optional.empty(), 1.0, 2.0, 3.0), java.util.OptionalLong.empty(), Optional.empty());
  }

  /** Every record of the log, in order, parsed. */
  static List<JsonNode> records(Path directory) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    for (Path file : AuditFiles.list(directory)) {
      for (byte[] line : AuditFiles.lines(file).lines()) {
        records.add(AuditJson.MAPPER.readTree(line));
      }
    }
    return records;
  }

  static List<Path> files(Path directory) throws IOException {
    return AuditFiles.list(directory);
  }

  /** Waits (at most 10 s) for a record matching {@code test}: finished records are written asynchronously. */
  static JsonNode awaitRecord(Path directory, Predicate<JsonNode> test) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      for (JsonNode record : records(directory)) {
        if (test.test(record)) {
          return record;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("No such audit record in " + directory + ":\n" + String.join("\n", lines(directory)));
      }
      Thread.sleep(20);
    }
  }

  static Predicate<JsonNode> type(String type, String queryId) {
    return record -> record.path("type").asText().equals(type) && record.path("query_id").asText().equals(queryId);
  }

  static List<String> lines(Path directory) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path file : AuditFiles.list(directory)) {
      lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
    return lines;
  }
}
