package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long bearer tokens live and how failed logins are throttled; shared by every frontend.
 *
 * @param tokenTtl lifetime of a token from {@code POST /v1/auth/token}; not extended by use
 * @param maxTokens live tokens held at once; issuing more is refused until some expire
 * @param maxFailedLogins failures of one user name, or from one client address, that trigger a
 *     lockout
 * @param failedLoginWindow how far back failures count (a sliding window)
 * @param lockout how long a locked-out user name or address is refused without a password check
 */
public record AuthConfig(
    Duration tokenTtl, int maxTokens, int maxFailedLogins, Duration failedLoginWindow, Duration lockout) {
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);
  public static final int DEFAULT_MAX_TOKENS = 100_000;
  public static final int DEFAULT_MAX_FAILED_LOGINS = 5;
  public static final Duration DEFAULT_FAILED_LOGIN_WINDOW = Duration.ofMinutes(5);
  public static final Duration DEFAULT_LOCKOUT = Duration.ofMinutes(5);

  public AuthConfig {
    requireNonNull(tokenTtl, "tokenTtl is null");
    requireNonNull(failedLoginWindow, "failedLoginWindow is null");
    requireNonNull(lockout, "lockout is null");
    checkPositive("tokenTtl", tokenTtl);
    checkPositive("failedLoginWindow", failedLoginWindow);
    checkPositive("lockout", lockout);
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
    }
    if (maxFailedLogins < 1) {
      throw new IllegalArgumentException("maxFailedLogins must be positive: " + maxFailedLogins);
    }
  }

  public static AuthConfig defaults() {
    return new AuthConfig(
        DEFAULT_TOKEN_TTL, DEFAULT_MAX_TOKENS, DEFAULT_MAX_FAILED_LOGINS, DEFAULT_FAILED_LOGIN_WINDOW, DEFAULT_LOCKOUT);
  }

  private static void checkPositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
