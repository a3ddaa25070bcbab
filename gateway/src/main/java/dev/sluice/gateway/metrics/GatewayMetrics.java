package dev.sluice.gateway.metrics;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.prometheus.PrometheusMetricsTrackerFactory;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.admission.Admission;
import dev.sluice.gateway.admission.AdmissionListener;
import dev.sluice.gateway.admission.LimitKind;
import dev.sluice.gateway.admission.RejectionReason;
import dev.sluice.gateway.engine.Protocol;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The gateway's Prometheus metrics, in a registry of its own (one per server, so that several
 * servers in one JVM do not collide): queries, durations, admission waits and refusals, rows and
 * bytes streamed, plus on scrape the warehouses' load and breaker states, the connection pools and
 * the JVM. Labels never carry user names or SQL.
 */
public final class GatewayMetrics implements AdmissionListener {
  /** The label value for a query that touches no warehouse (EXPLAIN). */
  public static final String NO_WAREHOUSE = "none";

  private static final double[] QUERY_BUCKETS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
  private static final double[] WAIT_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

  private final CollectorRegistry registry = new CollectorRegistry(true);
  private final Counter queries = Counter.build()
      .name("sluice_queries_total")
      .help("Queries that ended, by protocol, the warehouses they touched and how they ended")
      .labelNames("protocol", "warehouse", "outcome")
      .register(registry);
  private final Histogram queryDuration = Histogram.build()
      .name("sluice_query_duration_seconds")
      .help("Time from admission request to the query's end (last row, error or close), queue wait included")
      .labelNames("protocol", "warehouse")
      .buckets(QUERY_BUCKETS)
      .register(registry);
  private final Histogram queueWait = Histogram.build()
      .name("sluice_queue_wait_seconds")
      .help("Time a query waited for its turn at one limit")
      .labelNames("limit", "warehouse")
      .buckets(WAIT_BUCKETS)
      .register(registry);
  private final Counter rejections = Counter.build()
      .name("sluice_admission_rejections_total")
      .help("Queries refused by admission, by limit kind, reason and warehouse")
      .labelNames("limit", "reason", "warehouse")
      .register(registry);
  private final Counter rows = Counter.build()
      .name("sluice_rows_streamed_total")
      .help("Result rows handed to frontends, by protocol")
      .labelNames("protocol")
      .register(registry);
  private final Counter bytes = Counter.build()
      .name("sluice_bytes_streamed_total")
      .help("Response bytes written by frontends that know them, by protocol")
      .labelNames("protocol")
      .register(registry);

  /** Metrics with the JVM's (memory, GC, threads, class loading) registered beside the gateway's. */
  public GatewayMetrics() {
    DefaultExports.register(registry);
  }

  /** Reads each warehouse's load and breaker state from {@code admission} at every scrape. */
  public void watch(Admission admission) {
    new AdmissionCollector(requireNonNull(admission, "admission is null")).register(registry);
  }

  /** Where connection pools report their usage ({@code hikaricp_*} metrics, label {@code pool}). */
  public MetricsTrackerFactory poolMetrics() {
    return new PrometheusMetricsTrackerFactory(registry);
  }

  public CollectorRegistry registry() {
    return registry;
  }

  /** A query ended: {@code failure} is empty for success. */
  public void queryFinished(Protocol protocol, String warehouse, Optional<ErrorCode> failure, Duration elapsed) {
    String outcome = failure.map(code -> code.name().toLowerCase(Locale.ROOT)).orElse("success");
    queries.labels(protocol.label(), warehouse, outcome).inc();
    queryDuration.labels(protocol.label(), warehouse).observe(elapsed.toNanos() / 1e9);
  }

  public void rowsStreamed(Protocol protocol, long count) {
    if (count > 0) {
      rows.labels(protocol.label()).inc(count);
    }
  }

  /** Frontends call this with the bytes of each response they write. */
  public void bytesStreamed(Protocol protocol, long count) {
    if (count > 0) {
      bytes.labels(protocol.label()).inc(count);
    }
  }

  @Override
  public void admitted(LimitKind kind, Optional<String> warehouse, Duration waited) {
    queueWait.labels(kind.label(), warehouse.orElse("")).observe(waited.toNanos() / 1e9);
  }

  @Override
  public void rejected(LimitKind kind, RejectionReason reason, Optional<String> warehouse) {
    rejections.labels(kind.label(), reason.label(), warehouse.orElse("")).inc();
  }

  /** Every metric in the Prometheus text exposition format 0.0.4. */
  public String scrape() {
    StringWriter writer = new StringWriter();
    try {
      TextFormat.write004(writer, registry.metricFamilySamples());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toString();
  }

  public static String contentType() {
    return TextFormat.CONTENT_TYPE_004;
  }
}
