package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Binds {@code listeners.http.cors}: the browser origins allowed to call the HTTP API. */
final class CorsBinder {
  static final String PATH = "listeners.http.cors";
  private static final List<String> KEYS = List.of("allowed_origins", "max_age");
  // What browsers send in Origin: scheme, host and optional port; no path, not even "/".
  private static final Pattern ORIGIN = Pattern.compile("https?://[^/?#\\s]+");

  private CorsBinder() {}

  static Optional<CorsConfig> bind(ObjectNode http, ConfigReader reader) {
    Optional<ObjectNode> cors =
        ConfigReader.field(http, "cors").flatMap(node -> reader.mapping(node, PATH, KEYS));
    if (cors.isEmpty()) {
      return Optional.empty();
    }
    int problemsBefore = reader.problemCount();
    String originsPath = ConfigReader.path(PATH, "allowed_origins");
    if (ConfigReader.field(cors.get(), "allowed_origins").isEmpty()) {
      reader.problem(originsPath, "is required (a list of origins such as https://cdp.example.com, or *)");
    }
    List<String> origins = new ArrayList<>();
    for (ConfigReader.Entry entry : reader.stringList(cors.get(), PATH, "allowed_origins")) {
      String origin = entry.key().trim();
      if (origin.equals(CorsConfig.ANY_ORIGIN) || ORIGIN.matcher(origin).matches()) {
        origins.add(origin.toLowerCase(Locale.ROOT));
      } else {
        reader.problem(entry.path(), "expected an origin such as https://cdp.example.com:8443 (scheme, host,"
            + " optional port, no path or trailing slash) or *, got '" + origin + "'");
      }
    }
    if (origins.isEmpty() && reader.problemCount() == problemsBefore) {
      reader.problem(originsPath, "at least one origin is required");
    }
    Duration maxAge = reader.duration(cors.get(), PATH, "max_age", CorsConfig.DEFAULT_MAX_AGE);
    if (reader.problemCount() > problemsBefore) {
      return Optional.empty();
    }
    return Optional.of(new CorsConfig(origins, maxAge));
  }
}
