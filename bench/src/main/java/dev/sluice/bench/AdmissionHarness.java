package dev.sluice.bench;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.LimitConfig;
import dev.sluice.gateway.config.LimitsConfig;
import dev.sluice.gateway.config.ListenersConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.config.WarehouseAdmission;
import dev.sluice.gateway.demo.DemoDataGenerator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Throughput and latency (p50, p99) of a cheap point query through the Avatica protobuf driver at
 * 1, 8, 32 and 128 concurrent clients, once with limits that never bind (admission still runs, but
 * never waits) and once with the demo's kind of limits (8 statements per warehouse, queued).
 * Each client has its own connection and runs the query in a loop for the measured period.
 */
public final class AdmissionHarness {
  private static final String POINT = "SELECT customer_id FROM cdp.customers WHERE customer_id = ?";
  private static final int[] CLIENTS = {1, 8, 32, 128};

  public static void main(String[] args) throws Exception {
    long customers = 100_000;
    Duration measured = Duration.ofSeconds(10);
    Duration warmUp = Duration.ofSeconds(3);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--customers" -> customers = Long.parseLong(args[i + 1]);
        case "--seconds" -> measured = Duration.ofSeconds(Long.parseLong(args[i + 1]));
        default -> throw new IllegalArgumentException("Unknown option " + args[i]);
      }
    }
    Path data = Path.of("bench", "target", "demo").toAbsolutePath();
    new DemoDataGenerator(data, customers, 42).generate();
    GatewayConfig demo = ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", data.toString())))
        .withListeners(new ListenersConfig(new HttpListenerConfig("127.0.0.1", 0)));
    System.out.printf("point query over Avatica protobuf, %d s per level after %d s warm-up, %d cores%n",
        measured.toSeconds(), warmUp.toSeconds(), Runtime.getRuntime().availableProcessors());
    System.out.println("limits      clients   queries/s    p50 ms    p99 ms   refused");
    for (boolean limited : new boolean[] {false, true}) {
      try (GatewayServer server = new GatewayServer(limited ? limited(demo) : unbounded(demo))) {
        server.start();
        for (int clients : CLIENTS) {
          Result result = run(server, clients, warmUp, measured);
          System.out.printf("%-10s %8d %11.0f %9.2f %9.2f %9d%n",
              limited ? "8/warehouse" : "none", clients, result.perSecond(), result.p50Millis(), result.p99Millis(),
              result.refused());
        }
      }
    }
  }

  /** Limits so high they never bind, and one connection per possible handler thread and more. */
  private static GatewayConfig unbounded(GatewayConfig demo) {
    LimitConfig huge = new LimitConfig(100_000, 0, Duration.ofSeconds(30));
    return demo.withLimits(new LimitsConfig(huge, huge, Map.of()))
        .withWarehouses(demo.warehouses().stream()
            .map(w -> w.withPoolSize(65).withAdmission(w.admission().withLimit(new LimitConfig(64, 0, Duration.ofSeconds(30)))))
            .toList());
  }

  /** The demo's warehouse limit of 8 statements, with queues deep enough that nothing is refused. */
  private static GatewayConfig limited(GatewayConfig demo) {
    LimitConfig generous = new LimitConfig(256, 256, Duration.ofSeconds(30));
    return demo.withLimits(new LimitsConfig(generous, generous, Map.of()))
        .withWarehouses(demo.warehouses().stream()
            .map(w -> w.withPoolSize(9).withAdmission(
                WarehouseAdmission.defaults(8).withLimit(new LimitConfig(8, 256, Duration.ofSeconds(30)))))
            .toList());
  }

  private static Result run(GatewayServer server, int clients, Duration warmUp, Duration measured) throws Exception {
    String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + server.httpPort()
        + ";serialization=protobuf;authentication=BASIC;avatica_user=admin;avatica_password=admin-demo";
    ExecutorService threads = Executors.newFixedThreadPool(clients);
    try {
      CountDownLatch ready = new CountDownLatch(clients);
      long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      long measureFrom = start + warmUp.toNanos();
      long until = measureFrom + measured.toNanos();
      List<Future<long[]>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        futures.add(threads.submit(() -> loop(url, client, ready, start, measureFrom, until)));
      }
      List<Long> latencies = new ArrayList<>();
      long refused = 0;
      for (Future<long[]> future : futures) {
        long[] samples = future.get(measured.toSeconds() + warmUp.toSeconds() + 120, TimeUnit.SECONDS);
        refused += samples[0];
        for (int i = 1; i < samples.length; i++) {
          latencies.add(samples[i]);
        }
      }
      long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(sorted);
      return new Result(
          sorted.length / (measured.toNanos() / 1e9),
          percentile(sorted, 0.50) / 1e6,
          percentile(sorted, 0.99) / 1e6,
          refused);
    } finally {
      threads.shutdownNow();
    }
  }

  /** Element 0 is the number of refusals; the rest are latencies in nanoseconds of the measured period. */
  private static long[] loop(String url, int client, CountDownLatch ready, long start, long measureFrom, long until)
      throws SQLException, InterruptedException {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement statement = connection.prepareStatement(POINT)) {
      ready.countDown();
      ready.await();
      while (System.nanoTime() < start) {
        Thread.sleep(1);
      }
      long refused = 0;
      long[] samples = new long[1024];
      int count = 1;
      long id = client * 7919L;
      while (true) {
        long began = System.nanoTime();
        if (began >= until) {
          break;
        }
        statement.setLong(1, 1 + (id++ % 90_000));
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            rs.getLong(1);
          }
        } catch (SQLException e) {
          if (!"53000".equals(e.getSQLState())) {
            throw e;
          }
          refused++;
          continue;
        }
        if (began >= measureFrom) {
          if (count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
          }
          samples[count++] = System.nanoTime() - began;
        }
      }
      samples[0] = refused;
      return Arrays.copyOf(samples, count);
    }
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private record Result(double perSecond, double p50Millis, double p99Millis, long refused) {}
}
