package dev.sluice.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.dialects.postgresql.TestingPostgres;
import dev.sluice.gateway.demo.DemoDataGenerator;
import dev.sluice.gateway.engine.PostgresWarehouseDifferentialTest;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.gateway.testing.TestingGatewayProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process under load from several Avatica clients is killed with SIGKILL. PostgreSQL,
 * the dw warehouse, logs every statement it receives ({@code log_statement = all}); each carries
 * the query id the gateway writes in front of it. Afterwards every such statement must have its
 * started record in the audit log, and the log must verify (at most a torn final line).
 *
 * <p>SIGKILL loses what the process had not written, not what the kernel had not yet flushed to
 * the disk: this checks the write-ahead order and crash consistency; the fsync that makes records
 * survive a power loss is checked by the code path, not by pulling the plug.
 */
class AuditDurabilityTest {
  private static final Pattern QUERY_ID = Pattern.compile("sluice query_id=([0-9a-f-]{36})");
  private static final Pattern PORT = Pattern.compile("url=http://127\\.0\\.0\\.1:(\\d+);");
  private static final int CLIENTS = 8;

  @TempDir Path temporary;

  @Test
  void everyStatementAWarehouseReceivedIsInTheLogAfterSigkill() throws Exception {
    try (EmbeddedPostgres postgres = TestingPostgres.start(Map.of(
        "logging_collector", "on",
        "log_directory", "log",
        "log_filename", "statements.log",
        "log_rotation_size", "0",
        "log_statement", "all"))) {
      DemoDataGenerator demo =
          new DemoDataGenerator(TestingGateway.demoDirectory(), TestingGateway.CUSTOMERS, TestingGateway.SEED);
      PostgresWarehouseDifferentialTest.copyDw(postgres, demo.dwFile(), temporary);
      Path statementLog = statementLog(postgres);
      Path audit = temporary.resolve("audit");

      Process gateway = startGateway(postgres.getPort(), audit);
      List<String> output = new ArrayList<>();
      try {
        int port = awaitPort(gateway, output);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger completed = new AtomicInteger();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          clients.add(CompletableFuture.runAsync(() -> load(port, stop, completed)));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (completed.get() < 300 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(completed.get()).as("queries completed before the kill").isGreaterThanOrEqualTo(300);
        // Killed mid-flight: every client has a query in progress.
        gateway.destroyForcibly();
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      } finally {
        gateway.destroyForcibly();
      }

      Set<String> received = receivedQueryIds(statementLog);
      Set<String> started = new HashSet<>();
      for (JsonNode record : AuditTesting.records(audit)) {
        if (record.path("type").asText().equals("started")) {
          started.add(record.path("query_id").asText());
        }
      }
      assertThat(received).as("queries the warehouse received").hasSizeGreaterThanOrEqualTo(300);
      assertThat(started).as("started records on disk").containsAll(received);
      AuditVerifier.Report report = new AuditVerifier(Optional.empty()).verify(audit);
      assertThat(report.problem()).as("the chain after SIGKILL").isEmpty();
      System.out.printf("After SIGKILL: PostgreSQL received %d gateway queries, the log holds %d started records"
          + " (%d records in all), torn final line: %s%n",
          received.size(), started.size(), report.records(), report.tornFinalLine().map(Object::toString).orElse("none"));
    }
  }

  /** One client: point queries on customers (PostgreSQL) until the gateway dies. */
  private static void load(int port, AtomicBoolean stop, AtomicInteger completed) {
    String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + port
        + ";serialization=protobuf;authentication=BASIC;avatica_user=max;avatica_password=max-demo";
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement point = connection.prepareStatement(
            "SELECT customer_id, email, region FROM cdp.customers WHERE customer_id = ?");
        Statement plain = connection.createStatement()) {
      while (!stop.get()) {
        point.setLong(1, ThreadLocalRandom.current().nextLong(1, TestingGateway.CUSTOMERS));
        try (ResultSet rs = point.executeQuery()) {
          while (rs.next()) {
            rs.getString(2);
          }
        }
        if (completed.incrementAndGet() % 10 == 0) {
          try (ResultSet rs = plain.executeQuery(
              "SELECT channel, COUNT(*) FROM cdp.purchases WHERE order_id < " + completed.get() + " GROUP BY channel")) {
            while (rs.next()) {
              rs.getLong(2);
            }
          }
        }
      }
    } catch (Exception e) {
      // The gateway was killed under this client: that is the point.
    }
  }

  private Process startGateway(int postgresPort, Path audit) throws IOException {
    String yaml;
    try (InputStream in = getClass().getResourceAsStream("/dev/sluice/gateway/demo/demo-postgres.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    yaml = yaml.replace("port: 5432 ", "port: " + postgresPort + " ")
        .replace("port: 8765", "port: 0")
        .replace("directory: ${SLUICE_DATA_DIR}/audit", "directory: " + audit);
    Path config = Files.writeString(temporary.resolve("gateway.yaml"), yaml);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("--add-opens") || argument.startsWith("-Duser.timezone")) {
        command.add(argument);
      }
    }
    command.addAll(List.of("-Xmx768m", "-cp", TestingGatewayProcess.classpath(), "dev.sluice.gateway.cli.SluiceCommand",
        "serve", "--config", config.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(Map.of(
        "SLUICE_DATA_DIR", TestingGateway.demoDirectory().toString(),
        "PG_HOST", "127.0.0.1",
        "PG_DATABASE", "postgres",
        "PG_USER", "postgres",
        "PG_PASSWORD", "unused"));
    return builder.start();
  }

  /** Reads the child's output until it prints its Avatica URL; keeps draining it afterwards. */
  private static int awaitPort(Process gateway, List<String> output) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread drain = new Thread(() -> {
      try {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (output) {
            output.add(line);
          }
          Matcher matcher = PORT.matcher(line);
          if (matcher.find()) {
            port.complete(Integer.parseInt(matcher.group(1)));
          }
        }
        port.completeExceptionally(new IllegalStateException("The gateway exited:\n" + String.join("\n", output)));
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
    }, "gateway-output");
    drain.setDaemon(true);
    drain.start();
    return port.get(180, TimeUnit.SECONDS);
  }

  private static Path statementLog(EmbeddedPostgres postgres) throws Exception {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT current_setting('data_directory')")) {
      rs.next();
      return Path.of(rs.getString(1), "log", "statements.log");
    }
  }

  /** The query ids of the statements PostgreSQL logged, once its log has stopped growing. */
  private static Set<String> receivedQueryIds(Path log) throws Exception {
    long size = -1;
    while (Files.size(log) != size) {
      size = Files.size(log);
      Thread.sleep(500);
    }
    Set<String> ids = new HashSet<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.contains("LOG:  execute") || line.contains("LOG:  statement:")) {
        Matcher matcher = QUERY_ID.matcher(line);
        if (matcher.find()) {
          ids.add(matcher.group(1));
        }
      }
    }
    return ids;
  }
}
