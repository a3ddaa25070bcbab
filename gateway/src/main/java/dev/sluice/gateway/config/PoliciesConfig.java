package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the policy file is ({@code classpath:} for the bundled demo), how often it is checked for
 * changes, and which roles may ask for a reload. Without a file nobody can read any table.
 */
public record PoliciesConfig(Optional<String> file, Duration reloadInterval, List<String> adminRoles) {
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);
  public static final String CLASSPATH_PREFIX = "classpath:";

  public PoliciesConfig {
    requireNonNull(file, "file is null");
    requireNonNull(reloadInterval, "reloadInterval is null");
    adminRoles = List.copyOf(requireNonNull(adminRoles, "adminRoles is null"));
  }

  public static PoliciesConfig none() {
    return new PoliciesConfig(Optional.empty(), DEFAULT_RELOAD_INTERVAL, List.of("admin"));
  }

  public PoliciesConfig withFile(String newFile) {
    return new PoliciesConfig(Optional.of(newFile), reloadInterval, adminRoles);
  }
}
