package dev.sluice.gateway.frontend.http;

import dev.sluice.gateway.engine.ResultColumn;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The wire formats of {@code POST /v1/query}, and the choice between them by {@code Accept}. */
enum ResultFormat {
  // In order of preference: the first wins between equally acceptable formats.
  ARROW("application", "vnd.apache.arrow.stream", "application/vnd.apache.arrow.stream"),
  JSON("application", "json", "application/json"),
  CSV("text", "csv", "text/csv; charset=utf-8; header=present");

  private final String type;
  private final String subtype;
  private final String contentType;

  ResultFormat(String type, String subtype, String contentType) {
    this.type = type;
    this.subtype = subtype;
    this.contentType = contentType;
  }

  /** The {@code Content-Type} of an answer in this format. */
  String contentType() {
    return contentType;
  }

  /** The media type clients ask for in {@code Accept}. */
  String mediaType() {
    return type + "/" + subtype;
  }

  ResultWriter writer(List<ResultColumn> columns, VectorSchemaRoot root, ChunkedOutput out) throws IOException {
    return switch (this) {
      case ARROW -> new ArrowResultWriter(root, out);
      case JSON -> new JsonResultWriter(columns, out);
      case CSV -> new CsvResultWriter(columns, out);
    };
  }

  /**
   * The format an {@code Accept} header asks for (RFC 9110 12.5.1): each format takes the quality
   * of the most specific media range matching it; the highest non-zero quality wins, ties go to
   * the order above. No header means Arrow; empty when nothing acceptable is offered.
   */
  static Optional<ResultFormat> negotiate(Optional<String> accept) {
    if (accept.isEmpty() || accept.get().isBlank()) {
      return Optional.of(ARROW);
    }
    List<MediaRange> ranges = MediaRange.parseAll(accept.get());
    ResultFormat best = null;
    double bestQuality = 0;
    for (ResultFormat format : values()) {
      double quality = format.quality(ranges);
      if (quality > bestQuality) {
        best = format;
        bestQuality = quality;
      }
    }
    return Optional.ofNullable(best);
  }

  private double quality(List<MediaRange> ranges) {
    int bestSpecificity = -1;
    double quality = 0;
    for (MediaRange range : ranges) {
      int specificity = range.specificity(type, subtype);
      if (specificity > bestSpecificity) {
        bestSpecificity = specificity;
        quality = range.quality();
      }
    }
    return quality;
  }

  /** One entry of an {@code Accept} header, such as {@code text/*;q=0.5}. */
  private record MediaRange(String type, String subtype, double quality) {
    static List<MediaRange> parseAll(String header) {
      return java.util.Arrays.stream(header.split(","))
          .map(String::trim)
          .filter(entry -> !entry.isEmpty())
          .map(MediaRange::parse)
          .flatMap(Optional::stream)
          .toList();
    }

    private static Optional<MediaRange> parse(String entry) {
      String[] parts = entry.split(";");
      String[] types = parts[0].trim().toLowerCase(Locale.ROOT).split("/", -1);
      if (types.length != 2 || types[0].isEmpty() || types[1].isEmpty()) {
        return Optional.empty();
      }
      double quality = 1;
      for (int i = 1; i < parts.length; i++) {
        String[] parameter = parts[i].trim().split("=", 2);
        if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("q")) {
          try {
            quality = Math.max(0, Math.min(1, Double.parseDouble(parameter[1].trim())));
          } catch (NumberFormatException e) {
            // RFC 9110 allows only 0 to 1 with three decimals; a malformed weight is ignored.
            quality = 1;
          }
        }
      }
      return Optional.of(new MediaRange(types[0], types[1], quality));
    }

    /** 2 for an exact match, 1 for {@code type/*}, 0 for {@code *}{@code /*}, -1 for no match. */
    int specificity(String otherType, String otherSubtype) {
      if (type.equals("*") && subtype.equals("*")) {
        return 0;
      }
      if (!type.equals(otherType)) {
        return -1;
      }
      if (subtype.equals("*")) {
        return 1;
      }
      return subtype.equals(otherSubtype) ? 2 : -1;
    }
  }
}
