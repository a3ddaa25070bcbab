package dev.sluice.gateway.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The public query corpus ({@code shared/corpus/audience.sql}): named queries, each with the
 * parameters its {@code ?} markers take.
 */
public final class Corpus {
  /** Overrides where the corpus file is. */
  public static final String LOCATION_PROPERTY = "sluice.corpus";

  private static final String NAME_PREFIX = "-- name:";
  private static final String PARAMS_PREFIX = "-- params:";

  private Corpus() {}

  /** One corpus query: its name, its SQL without the final semicolon, and its parameters. */
  public record Query(String name, String sql, List<Object> params) {
    public Query {
      requireNonNull(name, "name is null");
      requireNonNull(sql, "sql is null");
      params = List.copyOf(params);
    }

    public Object[] paramArray() {
      return params.toArray();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Reads the corpus from {@link #locate()}. */
  public static List<Query> load() {
    Path file = locate();
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the query corpus " + file, e);
    }
  }

  /**
   * The corpus file: the {@value #LOCATION_PROPERTY} system property, else {@code
   * shared/corpus/audience.sql} beside the repository, seen from the module or repository dir.
   */
  public static Path locate() {
    Optional<String> configured = Optional.ofNullable(System.getProperty(LOCATION_PROPERTY));
    if (configured.isPresent()) {
      return Path.of(configured.get());
    }
    // The shared corpus beside the repository is the live one; the copy in the test resources
    // (refreshed with it) keeps a clean clone's build self-contained.
    for (String candidate : List.of(
        "../../shared/corpus/audience.sql",
        "../shared/corpus/audience.sql",
        "src/test/resources/corpus/audience.sql")) {
      Path path = Path.of(candidate);
      if (Files.isRegularFile(path)) {
        return path;
      }
    }
    throw new IllegalStateException(
        "Query corpus not found from " + Path.of("").toAbsolutePath()
            + "; set -D" + LOCATION_PROPERTY + "=<path to audience.sql>");
  }

  /** Parses corpus text; a query ends at the first line that ends with a semicolon. */
  public static List<Query> parse(String text) {
    List<Query> queries = new ArrayList<>();
    String name = null;
    List<Object> params = List.of();
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.startsWith(NAME_PREFIX)) {
        if (name != null) {
          throw new IllegalArgumentException("Query '" + name + "' has no terminating semicolon");
        }
        name = trimmed.substring(NAME_PREFIX.length()).strip();
        params = List.of();
        sql.setLength(0);
      } else if (name == null) {
        continue; // header comments and blank lines between queries
      } else if (trimmed.startsWith(PARAMS_PREFIX) && sql.length() == 0) {
        params = parseParams(trimmed.substring(PARAMS_PREFIX.length()));
      } else {
        sql.append(line).append('\n');
        if (trimmed.endsWith(";")) {
          String statement = sql.toString().strip();
          queries.add(new Query(name, statement.substring(0, statement.length() - 1).strip(), params));
          name = null;
        }
      }
    }
    if (name != null) {
      throw new IllegalArgumentException("Query '" + name + "' has no terminating semicolon");
    }
    return List.copyOf(queries);
  }

  // Comma-separated integers (as Long) and single-quoted strings ('' escapes a quote).
  static List<Object> parseParams(String text) {
    List<Object> values = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == ',') {
        i++;
      } else if (c == '\'') {
        StringBuilder value = new StringBuilder();
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new IllegalArgumentException("Unterminated string in params: " + text);
          }
          if (text.charAt(i) == '\'') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
              value.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          value.append(text.charAt(i++));
        }
        values.add(value.toString());
      } else {
        int end = i;
        while (end < text.length() && text.charAt(end) != ',') {
          end++;
        }
        String token = text.substring(i, end).strip();
        try {
          values.add(Long.parseLong(token));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("Parameter is neither an integer nor a quoted string: " + token, e);
        }
        i = end;
      }
    }
    return List.copyOf(values);
  }
}
