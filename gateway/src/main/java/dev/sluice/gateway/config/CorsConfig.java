package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may call the HTTP API (the CDP UI's Arrow queries and token endpoint)
 * across origins, and how long browsers may cache a preflight answer.
 *
 * @param allowedOrigins exact origins ({@code https://cdp.example.com}, lower case) or {@code *}
 */
public record CorsConfig(List<String> allowedOrigins, Duration maxAge) {
  public static final String ANY_ORIGIN = "*";
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

  public CorsConfig {
    allowedOrigins = List.copyOf(requireNonNull(allowedOrigins, "allowedOrigins is null"));
    requireNonNull(maxAge, "maxAge is null");
    if (allowedOrigins.isEmpty()) {
      throw new IllegalArgumentException("allowedOrigins must not be empty");
    }
  }

  /** Whether a request's {@code Origin} header names an allowed origin; origins compare case-insensitively. */
  public boolean allows(String origin) {
    requireNonNull(origin, "origin is null");
    String lower = origin.toLowerCase(Locale.ROOT);
    return allowedOrigins.contains(ANY_ORIGIN) || allowedOrigins.contains(lower);
  }
}
