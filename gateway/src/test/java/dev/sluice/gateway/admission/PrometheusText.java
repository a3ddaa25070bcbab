package dev.sluice.gateway.admission;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small parser of the Prometheus text exposition format, enough for tests: each sample line
 * {@code name{label="value",...} number} becomes one entry keyed by name and sorted labels.
 */
final class PrometheusText {
  private final Map<String, Double> samples;

  private PrometheusText(Map<String, Double> samples) {
    this.samples = samples;
  }

  static PrometheusText scrape(int port) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics answered " + response.statusCode() + ": " + response.body());
    }
    return parse(response.body());
  }

  static PrometheusText parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new TreeMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        String body = line.substring(brace + 1, line.lastIndexOf('}'));
        int i = 0;
        while (i < body.length()) {
          int equals = body.indexOf('=', i);
          String key = body.substring(i, equals);
          StringBuilder value = new StringBuilder();
          int j = equals + 2; // past ="
          while (body.charAt(j) != '"') {
            if (body.charAt(j) == '\\') {
              j++;
            }
            value.append(body.charAt(j++));
          }
          labels.put(key, value.toString());
          i = j + 1;
          if (i < body.length() && body.charAt(i) == ',') {
            i++;
          }
        }
      } else {
        name = line.substring(0, space);
      }
      samples.put(key(name, labels), Double.parseDouble(line.substring(space + 1)));
    }
    return new PrometheusText(samples);
  }

  /** The sample's value, 0 when it is absent (a counter never incremented). */
  double value(String name, String... labelPairs) {
    Map<String, String> labels = new TreeMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      labels.put(labelPairs[i], labelPairs[i + 1]);
    }
    return samples.getOrDefault(key(name, labels), 0.0);
  }

  boolean has(String name) {
    return samples.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(name + "{"));
  }

  private static String key(String name, Map<String, String> labels) {
    return labels.isEmpty() ? name : name + labels;
  }
}
