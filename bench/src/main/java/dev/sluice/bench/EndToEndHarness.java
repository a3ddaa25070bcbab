package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.demo.DemoDataGenerator;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.ReferenceDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;
import org.duckdb.DuckDBConnection;

/**
 * The end-to-end harness (bench/README.md): in one run, on the same demo files, it measures
 * (a) DuckDB's JDBC driver in-process, (b) a plain Avatica proxy over the same files (Avatica's
 * reference server with JdbcMeta, no governance), (c) the gateway over Avatica protobuf, (d) the
 * gateway over Flight SQL (FlightSqlClient, and the Flight SQL JDBC driver), (e) the gateway's Arrow
 * IPC over HTTP; and prints one table with ratios against (a) and (b), also written as JSON.
 */
public final class EndToEndHarness {
  private static final java.time.Duration POINT_WARMUP = java.time.Duration.ofSeconds(5);
  /** The warm-up ends early only if the JIT is still compiling after this long. */
  private static final java.time.Duration POINT_WARMUP_MAX = java.time.Duration.ofSeconds(60);
  /** The JIT counts as done when it compiled for at most this many ms in the last window. */
  private static final long JIT_QUIET_MS_PER_WINDOW = 20;
  private static final java.time.Duration JIT_WINDOW = java.time.Duration.ofSeconds(2);
  static final String POINT =
      "SELECT customer_id, first_name, loyalty_tier, lifetime_value FROM cdp.customers WHERE customer_id = ?";
  /** Runs of the million-row query per system; the median one is reported. */
  static final int MILLION_RUNS = 5;

  static final String MILLION =
      "SELECT order_id, customer_id, product_id, purchased_at, amount FROM cdp.purchases LIMIT 1000000";
  private static final String USER = "admin";
  private static final String PASSWORD = "admin-demo";

  private final Options options;
  private final Map<String, Map<String, Double>> results = new LinkedHashMap<>();

  private EndToEndHarness(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    new EndToEndHarness(Options.parse(args)).run();
  }

  private void run() throws Exception {
    Path data = Path.of("bench", "target", "demo").toAbsolutePath();
    DemoDataGenerator demo = new DemoDataGenerator(data, options.customers(), 42);
    demo.generate();
    List<Corpus.Query> corpus = Corpus.load();
    GatewayConfig config = Gateways.config(
        ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", data.toString()))));
    // Only for measuring what the write-ahead record's fsync costs: the log still writes every
    // record first, but a query no longer waits for the disk.
    config = config.withAudit(config.audit().withFsync(options.auditFsync()));
    try (ReferenceDatabase reference = ReferenceDatabase.open(demo.dwFile(), demo.lakeFile());
        BufferAllocator allocator = new RootAllocator();
        GatewayServer gateway = new GatewayServer(config)) {
      HttpServer proxy = avaticaProxy(reference);
      gateway.start();
      try {
        String avaticaUrl = "jdbc:avatica:remote:url=http://127.0.0.1:%d;serialization=protobuf";
        List<Target> targets = List.of(
            new Target("a duckdb-jdbc", () -> new JdbcBenchClient(duplicate(reference), POINT, 10_000)),
            new Target("b avatica-proxy", () -> new JdbcBenchClient(
                DriverManager.getConnection(avaticaUrl.formatted(proxy.getPort())), POINT, 10_000)),
            new Target("c gateway-avatica", () -> new JdbcBenchClient(DriverManager.getConnection(
                avaticaUrl.formatted(gateway.httpPort())
                    + ";authentication=BASIC;avatica_user=" + USER + ";avatica_password=" + PASSWORD),
                POINT, 10_000)),
            new Target("d gateway-flight-sql", () -> new FlightBenchClient(
                allocator, gateway.flightPort(), USER, PASSWORD, POINT)),
            new Target("d gateway-flight-jdbc", () -> new JdbcBenchClient(DriverManager.getConnection(
                "jdbc:arrow-flight-sql://127.0.0.1:" + gateway.flightPort()
                    + "?useEncryption=false&user=" + USER + "&password=" + PASSWORD), POINT, 10_000)),
            new Target("e gateway-http-arrow", () -> new HttpArrowBenchClient(
                allocator, gateway.httpPort(), USER, PASSWORD, POINT)));
        for (Target target : targets) {
          if (options.selected(target.name())) {
            measure(target, corpus);
          }
        }
      } finally {
        proxy.stop();
      }
    }
    Report.print(results, options);
    Path out = Path.of(options.output());
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), Map.of(
        "machine", Report.machine(), "options", options, "results", results));
    System.out.println("Written to " + out);
  }

  private void measure(Target target, List<Corpus.Query> corpus) throws Exception {
    System.err.println("Measuring " + target.name() + " ...");
    Map<String, Double> figures = new LinkedHashMap<>();
    try (BenchClient client = target.connect()) {
      double[] point = pointLatencies(client);
      figures.put("point_median_us", point[0]);
      figures.put("point_p99_us", point[1]);
      million(client); // warm-up
      // The median of several runs by total time: one run of a fraction of a second is noisy.
      double[][] runs = new double[MILLION_RUNS][];
      for (int i = 0; i < MILLION_RUNS; i++) {
        runs[i] = million(client);
      }
      Arrays.sort(runs, java.util.Comparator.comparingDouble(run -> run[1]));
      double[] million = runs[MILLION_RUNS / 2];
      figures.put("million_first_row_ms", million[0]);
      figures.put("million_total_s", million[1]);
      figures.put("million_rows_per_s", 1_000_000 / million[1]);
    }
    for (int clients : options.concurrency()) {
      figures.put("corpus_qps_" + clients, corpusThroughput(target, corpus, clients));
    }
    results.put(target.name(), figures);
  }

  /** Median and p99 in microseconds of the prepared point query, over seeded customer ids. */
  private double[] pointLatencies(BenchClient client) throws Exception {
    Random random = new Random(42);
    int iterations = options.iterations();
    long[] nanos = new long[iterations];
    // Warm-up: a quarter of the iterations and at least POINT_WARMUP, so that the JIT has compiled
    // each system's whole path (a gateway's is deeper than a proxy's) before anything is timed.
    // Then on until the JIT is done: its compiler threads share the two cores with the client and
    // the server, so a path still being compiled is timed at up to twice its steady cost.
    long warmupStart = System.nanoTime();
    long warmupEnd = warmupStart + POINT_WARMUP.toNanos();
    long giveUp = warmupStart + POINT_WARMUP_MAX.toNanos();
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    long windowStart = System.nanoTime();
    long compiledAtWindowStart = jit.getTotalCompilationTime();
    boolean quiet = false;
    for (int i = 0; i < iterations / 4 || !quiet; i++) {
      if (client.point(1 + random.nextInt((int) options.customers())) != 1) {
        throw new IllegalStateException("Point query returned other than one row during warm-up");
      }
      long now = System.nanoTime();
      if (now - windowStart >= JIT_WINDOW.toNanos()) {
        long compiled = jit.getTotalCompilationTime();
        quiet = now >= giveUp
            || (now >= warmupEnd && compiled - compiledAtWindowStart <= JIT_QUIET_MS_PER_WINDOW);
        windowStart = now;
        compiledAtWindowStart = compiled;
      }
    }
    System.err.printf("  point query warmed up for %.1f s%n", (System.nanoTime() - warmupStart) / 1e9);
    for (int i = 0; i < iterations; i++) {
      long id = 1 + random.nextInt((int) options.customers());
      long started = System.nanoTime();
      long rows = client.point(id);
      long elapsed = System.nanoTime() - started;
      if (rows != 1) {
        throw new IllegalStateException("Point query for customer " + id + " returned " + rows + " rows");
      }
      nanos[i] = elapsed;
    }
    Arrays.sort(nanos);
    return new double[] {nanos[iterations / 2] / 1e3, nanos[(int) Math.ceil(iterations * 0.99) - 1] / 1e3};
  }

  /** Time to first row (ms) and total time (s) for a million purchases, five columns. */
  private static double[] million(BenchClient client) throws Exception {
    AtomicLong firstRow = new AtomicLong();
    long started = System.nanoTime();
    long rows = client.run(MILLION, List.of(), firstRow::set);
    long finished = System.nanoTime();
    if (rows != 1_000_000) {
      throw new IllegalStateException("Expected 1,000,000 rows, got " + rows);
    }
    return new double[] {(firstRow.get() - started) / 1e6, (finished - started) / 1e9};
  }

  /** Corpus queries per second with {@code clients} concurrent clients, each cycling the corpus. */
  private double corpusThroughput(Target target, List<Corpus.Query> corpus, int clients) throws Exception {
    List<BenchClient> connected = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      for (int i = 0; i < clients; i++) {
        connected.add(target.connect());
      }
      for (Corpus.Query query : corpus) { // warm-up: plans cached, code compiled
        connected.get(0).run(query.sql(), query.params(), at -> {});
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.seconds());
      List<Future<Long>> counts = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        BenchClient client = connected.get(i);
        int offset = i;
        Callable<Long> loop = () -> {
          long done = 0;
          for (int q = offset; System.nanoTime() < deadline; q++) {
            Corpus.Query query = corpus.get(q % corpus.size());
            client.run(query.sql(), query.params(), at -> {});
            done++;
          }
          return done;
        };
        counts.add(pool.submit(loop));
      }
      long started = System.nanoTime();
      long total = 0;
      for (Future<Long> count : counts) {
        total += count.get(options.seconds() + 600L, TimeUnit.SECONDS);
      }
      return total / ((System.nanoTime() - started) / 1e9);
    } finally {
      pool.shutdownNow();
      for (BenchClient client : connected) {
        client.close();
      }
    }
  }

  private static Connection duplicate(ReferenceDatabase reference) throws SQLException {
    return reference.connection().unwrap(DuckDBConnection.class).duplicate();
  }

  /** Avatica's reference server (Jetty) with JdbcMeta over connections to the reference database. */
  private static HttpServer avaticaProxy(ReferenceDatabase reference) throws SQLException {
    JdbcMeta meta = new JdbcMeta("jdbc:duckdb:") {
      @Override
      protected Connection createConnection(String url, java.util.Properties info) throws SQLException {
        return duplicate(reference);
      }
    };
    HttpServer server = new HttpServer.Builder<>()
        .withHandler(new LocalService(meta), Driver.Serialization.PROTOBUF)
        .withPort(0)
        .build();
    server.start();
    return server;
  }

  @FunctionalInterface
  private interface Connector {
    BenchClient connect() throws Exception;
  }

  private record Target(String name, Connector connector) {
    BenchClient connect() throws Exception {
      return connector.connect();
    }
  }
}
