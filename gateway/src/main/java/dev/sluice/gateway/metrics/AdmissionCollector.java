package dev.sluice.gateway.metrics;

import dev.sluice.gateway.admission.Admission;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;

/** Reads the warehouses' load and circuit breaker states from admission when Prometheus scrapes. */
final class AdmissionCollector extends Collector {
  private static final List<String> BREAKER_STATES = List.of("closed", "open", "half_open");

  private final Admission admission;

  AdmissionCollector(Admission admission) {
    this.admission = admission;
  }

  @Override
  public List<MetricFamilySamples> collect() {
    GaugeMetricFamily running = new GaugeMetricFamily(
        "sluice_warehouse_statements_running", "Queries holding a statement slot of the warehouse",
        List.of("warehouse"));
    GaugeMetricFamily queued = new GaugeMetricFamily(
        "sluice_warehouse_statements_queued", "Queries waiting for a statement slot of the warehouse",
        List.of("warehouse"));
    GaugeMetricFamily limit = new GaugeMetricFamily(
        "sluice_warehouse_statements_limit", "The warehouse's limit of concurrent statements",
        List.of("warehouse"));
    GaugeMetricFamily breaker = new GaugeMetricFamily(
        "sluice_circuit_breaker_state", "1 for the state the warehouse's circuit breaker is in, else 0",
        List.of("warehouse", "state"));
    for (String warehouse : admission.warehouses()) {
      admission.load(warehouse).ifPresent(load -> {
        running.addMetric(List.of(warehouse), load.running());
        queued.addMetric(List.of(warehouse), load.queued());
        limit.addMetric(List.of(warehouse), load.limit());
        for (String state : BREAKER_STATES) {
          breaker.addMetric(List.of(warehouse, state), state.equals(load.breakerState()) ? 1 : 0);
        }
      });
    }
    GaugeMetricFamily globalRunning = new GaugeMetricFamily(
        "sluice_queries_running", "Queries admitted and not yet ended", admission.running());
    GaugeMetricFamily globalQueued = new GaugeMetricFamily(
        "sluice_queries_queued", "Queries waiting at the global limit", admission.queued());
    return List.of(running, queued, limit, breaker, globalRunning, globalQueued);
  }
}
