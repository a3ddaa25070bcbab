package dev.sluice.bench;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.audit.AuditLog;
import dev.sluice.gateway.config.AuditConfig;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.LimitConfig;
import dev.sluice.gateway.config.ListenersConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.demo.DemoDataGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the write-ahead audit log costs: queries per second of a cheap point query over the Avatica
 * protobuf driver at 32 concurrent clients, with the audit log on (fsync before every query runs,
 * group commit) and off, after a warm-up round, in rounds of alternating order so that drift on a
 * shared machine hits both; the medians are compared.
 */
public final class AuditThroughputHarness {
  private static final String POINT = "SELECT customer_id FROM cdp.customers WHERE customer_id = ?";

  public static void main(String[] args) throws Exception {
    long customers = 100_000;
    int clients = 32;
    int warmupSeconds = 10;
    int seconds = 30;
    int rounds = 2;
    Duration window = AuditConfig.DEFAULT_GROUP_COMMIT_WINDOW;
    boolean fsync = true;
    boolean wideLimits = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--customers" -> customers = Long.parseLong(args[i + 1]);
        case "--clients" -> clients = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmupSeconds = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--window-ms" -> window = Duration.ofMillis(Long.parseLong(args[i + 1]));
        case "--fsync" -> fsync = Boolean.parseBoolean(args[i + 1]);
        case "--wide-limits" -> wideLimits = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("Unknown option " + args[i]);
      }
    }
    Path data = Path.of("bench", "target", "demo").toAbsolutePath();
    new DemoDataGenerator(data, customers, 42).generate();
    GatewayConfig base = ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", data.toString())))
        .withListeners(new ListenersConfig(new HttpListenerConfig("127.0.0.1", 0)));
    if (wideLimits) {
      // Nothing queues: per-user and warehouse limits above the number of clients.
      LimitConfig wide = new LimitConfig(clients * 2, clients, LimitConfig.DEFAULT_MAX_QUEUE_WAIT);
      int poolSize = wide.maxConcurrent() + 1;
      base = base.withLimits(base.limits().withPerUser(wide));
      for (var warehouse : base.warehouses()) {
        base = base.withWarehouse(warehouse.name(),
            w -> w.withPoolSize(poolSize).withAdmission(w.admission().withLimit(wide)));
      }
    }
    System.out.printf("Point query, %d clients, %d s warm-up and %d s measured per round, %d rounds,"
        + " group commit window %d ms, fsync %s%n", clients, warmupSeconds, seconds, rounds, window.toMillis(), fsync);
    List<Double> on = new ArrayList<>();
    List<Double> off = new ArrayList<>();
    // Round 0 warms up the JVM (JIT, class loading) in both modes; not counted.
    measure(base, true, fsync, window, clients, warmupSeconds, seconds, 0);
    measure(base, false, true, Duration.ZERO, clients, warmupSeconds, seconds, 0);
    for (int round = 1; round <= rounds; round++) {
      // Alternating the order spreads a trend in the machine's load over both modes.
      if (round % 2 == 1) {
        off.add(measure(base, false, true, Duration.ZERO, clients, warmupSeconds, seconds, round));
        on.add(measure(base, true, fsync, window, clients, warmupSeconds, seconds, round));
      } else {
        on.add(measure(base, true, fsync, window, clients, warmupSeconds, seconds, round));
        off.add(measure(base, false, true, Duration.ZERO, clients, warmupSeconds, seconds, round));
      }
    }
    double medianOff = median(off);
    double medianOn = median(on);
    // Each round measures both modes back to back, so its ratio is what drift affects least.
    List<Double> costs = new ArrayList<>();
    for (int i = 0; i < on.size(); i++) {
      costs.add(100.0 * (off.get(i) - on.get(i)) / off.get(i));
    }
    System.out.printf("median: audit off %.0f q/s, audit on (%s) %.0f q/s, cost %.1f%%;"
            + " median of the rounds' own costs %.1f%% (rounds: %s)%n",
        medianOff, fsync ? "fsync" : "no fsync", medianOn, 100.0 * (medianOff - medianOn) / medianOff,
        median(costs), costs.stream().map(c -> String.format("%.1f%%", c)).toList());
  }

  private static double measure(
      GatewayConfig base, boolean audit, boolean fsync, Duration window, int clients, int warmupSeconds, int seconds,
      int round)
      throws Exception {
    Path directory = Files.createTempDirectory(Path.of("bench", "target").toAbsolutePath(), "audit-");
    GatewayConfig config = base.withAudit(base.audit().withDirectory(directory).withEnabled(audit).withFsync(fsync)
        .withGroupCommitWindow(window));
    try (GatewayServer server = new GatewayServer(config)) {
      server.start();
      String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + server.httpPort()
          + ";serialization=protobuf;authentication=BASIC;avatica_user=admin;avatica_password=admin-demo";
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong queries = new AtomicLong();
      AtomicLong failures = new AtomicLong();
      CountDownLatch done = new CountDownLatch(clients);
      for (int i = 0; i < clients; i++) {
        Thread client = new Thread(() -> {
          try (Connection connection = DriverManager.getConnection(url);
              PreparedStatement statement = connection.prepareStatement(POINT)) {
            while (!stop.get()) {
              statement.setLong(1, ThreadLocalRandom.current().nextLong(1, 100_000));
              try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                  rs.getLong(1);
                }
              }
              if (measuring.get()) {
                queries.incrementAndGet();
              }
            }
          } catch (Exception e) {
            failures.incrementAndGet();
          } finally {
            done.countDown();
          }
        }, "bench-client-" + i);
        client.setDaemon(true);
        client.start();
      }
      Thread.sleep(warmupSeconds * 1000L);
      long recordsBefore = server.auditLog().map(AuditLog::recordsWritten).orElse(0L);
      long syncsBefore = server.auditLog().map(AuditLog::syncs).orElse(0L);
      long syncNanosBefore = server.auditLog().map(log -> log.syncedWriteTime().toNanos()).orElse(0L);
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpuBefore = os.getProcessCpuTime();
      measuring.set(true);
      long started = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      measuring.set(false);
      double elapsed = (System.nanoTime() - started) / 1e9;
      // Clients and gateway share this process: its CPU time per query covers both.
      double cpuPerQuery = (os.getProcessCpuTime() - cpuBefore) / 1e3 / Math.max(1, queries.get());
      double busy = (os.getProcessCpuTime() - cpuBefore) / 1e9 / elapsed / Runtime.getRuntime().availableProcessors();
      long records = server.auditLog().map(AuditLog::recordsWritten).orElse(0L) - recordsBefore;
      long syncs = server.auditLog().map(AuditLog::syncs).orElse(0L) - syncsBefore;
      long syncNanos = server.auditLog().map(log -> log.syncedWriteTime().toNanos()).orElse(0L) - syncNanosBefore;
      stop.set(true);
      done.await();
      double qps = queries.get() / elapsed;
      System.out.printf("round %d, audit %-14s %8.0f q/s, %.0f us CPU per query, CPUs %.0f%% busy%s%s%n", round,
          audit ? (fsync ? "on (fsync):" : "on (no fsync):") : "off:", qps, cpuPerQuery, 100 * busy,
          audit ? String.format(", %d records, %d fsyncs (%.1f records and %.2f ms each)", records, syncs,
              syncs == 0 ? 0.0 : (double) records / syncs, syncs == 0 ? 0.0 : syncNanos / 1e6 / syncs) : "",
          failures.get() > 0 ? ", " + failures.get() + " clients failed" : "");
      return qps;
    }
  }

  private static double median(List<Double> values) {
    return Report.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
