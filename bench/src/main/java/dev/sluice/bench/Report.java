package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Prints the harness's table: each figure, and the gateway's ratios against (a) and (b). */
final class Report {
  private Report() {}

  /** The median of {@code values} (the mean of the middle two for an even count). */
  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  static void print(Map<String, Map<String, Double>> results, Options options) {
    Set<String> metrics = new LinkedHashSet<>();
    results.values().forEach(figures -> metrics.addAll(figures.keySet()));
    Map<String, Double> floor = results.get("a duckdb-jdbc");
    Map<String, Double> proxy = results.get("b avatica-proxy");
    System.out.println();
    System.out.println("Machine: " + machine());
    System.out.println("Options: " + options);
    System.out.println("Ratios are system / baseline: below 1 is faster for times, above 1 is faster for rates.");
    System.out.printf("%-22s", "metric");
    for (String system : results.keySet()) {
      System.out.printf(" | %-30s", system);
    }
    System.out.println();
    for (String metric : metrics) {
      System.out.printf("%-22s", metric);
      for (Map.Entry<String, Map<String, Double>> system : results.entrySet()) {
        Double value = system.getValue().get(metric);
        StringBuilder cell = new StringBuilder(value == null ? "-" : format(value));
        if (value != null && !system.getKey().startsWith("a") && !system.getKey().startsWith("b")) {
          appendRatio(cell, value, floor, metric, "a");
          appendRatio(cell, value, proxy, metric, "b");
        }
        System.out.printf(" | %-30s", cell);
      }
      System.out.println();
    }
  }

  private static void appendRatio(StringBuilder cell, double value, Map<String, Double> baseline, String metric, String name) {
    if (baseline != null && baseline.get(metric) != null && baseline.get(metric) != 0) {
      cell.append(String.format(" %.2fx%s", value / baseline.get(metric), name));
    }
  }

  private static String format(double value) {
    return value >= 100 ? String.format("%,.0f", value) : String.format("%.3g", value);
  }

  static Map<String, String> machine() {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    machine.put("max_heap_mb", Long.toString(Runtime.getRuntime().maxMemory() >> 20));
    machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    try {
      Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .findFirst()
          .ifPresent(line -> machine.put("cpu", line.substring(line.indexOf(':') + 1).strip()));
    } catch (IOException e) {
      machine.put("cpu", "unknown");
    }
    return machine;
  }
}
