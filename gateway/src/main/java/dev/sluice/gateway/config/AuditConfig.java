package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The audit log: where its files go, how they are made durable (fsync with group commit), when
 * they rotate and how long they are kept, whether literals are kept out of recorded SQL, and the
 * optional HMAC key (read from the environment) that makes the hash chain unforgeable.
 */
public record AuditConfig(
    boolean enabled,
    Path directory,
    boolean fsync,
    Duration groupCommitWindow,
    Duration writeTimeout,
    long rotateSize,
    Duration rotateAge,
    Retention retention,
    boolean redactLiterals,
    Optional<String> hmacKeyEnv,
    Optional<String> hmacKey) {
  public static final Path DEFAULT_DIRECTORY = Path.of("audit");
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);
  /** Long enough to gather concurrent queries into one fsync, short next to any query. */
  public static final Duration DEFAULT_GROUP_COMMIT_WINDOW = Duration.ofMillis(2);
  public static final long DEFAULT_ROTATE_SIZE = 64L * 1024 * 1024;
  public static final Duration DEFAULT_ROTATE_AGE = Duration.ofHours(24);

  public AuditConfig {
    requireNonNull(directory, "directory is null");
    requireNonNull(groupCommitWindow, "groupCommitWindow is null");
    requireNonNull(writeTimeout, "writeTimeout is null");
    requireNonNull(rotateAge, "rotateAge is null");
    requireNonNull(retention, "retention is null");
    requireNonNull(hmacKeyEnv, "hmacKeyEnv is null");
    requireNonNull(hmacKey, "hmacKey is null");
    if (groupCommitWindow.isNegative()) {
      throw new IllegalArgumentException("groupCommitWindow must not be negative");
    }
    if (writeTimeout.isZero() || writeTimeout.isNegative()) {
      throw new IllegalArgumentException("writeTimeout must be positive");
    }
    if (rotateSize < 1) {
      throw new IllegalArgumentException("rotateSize must be positive");
    }
    if (rotateAge.isZero() || rotateAge.isNegative()) {
      throw new IllegalArgumentException("rotateAge must be positive");
    }
  }

  /** How many rotated files are kept, and for how long; never the file being written. */
  public record Retention(int maxFiles, Optional<Duration> maxAge) {
    public Retention {
      requireNonNull(maxAge, "maxAge is null");
      if (maxFiles < 0) {
        throw new IllegalArgumentException("maxFiles must not be negative");
      }
    }

    /** Every file is kept. */
    public static Retention keepAll() {
      return new Retention(0, Optional.empty());
    }
  }

  /** Enabled, in {@code ./audit}, fsync with a 1 ms group-commit window, 64 MB or daily files kept forever. */
  public static AuditConfig defaults() {
    return new AuditConfig(
        true, DEFAULT_DIRECTORY, true, DEFAULT_GROUP_COMMIT_WINDOW, DEFAULT_WRITE_TIMEOUT, DEFAULT_ROTATE_SIZE,
        DEFAULT_ROTATE_AGE, Retention.keepAll(), false, Optional.empty(), Optional.empty());
  }

  public AuditConfig withDirectory(Path newDirectory) {
    return new AuditConfig(enabled, newDirectory, fsync, groupCommitWindow, writeTimeout, rotateSize,
        rotateAge, retention, redactLiterals, hmacKeyEnv, hmacKey);
  }

  public AuditConfig withEnabled(boolean newEnabled) {
    return new AuditConfig(newEnabled, directory, fsync, groupCommitWindow, writeTimeout, rotateSize,
        rotateAge, retention, redactLiterals, hmacKeyEnv, hmacKey);
  }

  public AuditConfig withFsync(boolean newFsync) {
    return new AuditConfig(enabled, directory, newFsync, groupCommitWindow, writeTimeout, rotateSize,
        rotateAge, retention, redactLiterals, hmacKeyEnv, hmacKey);
  }

  public AuditConfig withGroupCommitWindow(Duration newGroupCommitWindow) {
    return new AuditConfig(enabled, directory, fsync, newGroupCommitWindow, writeTimeout, rotateSize,
        rotateAge, retention, redactLiterals, hmacKeyEnv, hmacKey);
  }

  public AuditConfig withRotation(long newRotateSize, Duration newRotateAge) {
    return new AuditConfig(enabled, directory, fsync, groupCommitWindow, writeTimeout, newRotateSize,
        newRotateAge, retention, redactLiterals, hmacKeyEnv, hmacKey);
  }

  public AuditConfig withRetention(Retention newRetention) {
    return new AuditConfig(enabled, directory, fsync, groupCommitWindow, writeTimeout, rotateSize,
        rotateAge, newRetention, redactLiterals, hmacKeyEnv, hmacKey);
  }

  public AuditConfig withRedactLiterals(boolean newRedactLiterals) {
    return new AuditConfig(enabled, directory, fsync, groupCommitWindow, writeTimeout, rotateSize,
        rotateAge, retention, newRedactLiterals, hmacKeyEnv, hmacKey);
  }

  public AuditConfig withWriteTimeout(Duration newWriteTimeout) {
    return new AuditConfig(enabled, directory, fsync, groupCommitWindow, newWriteTimeout, rotateSize,
        rotateAge, retention, redactLiterals, hmacKeyEnv, hmacKey);
  }

  /** Chains with HMAC-SHA256 under {@code key}, which {@code env} names in the environment. */
  public AuditConfig withHmacKey(String env, String key) {
    return new AuditConfig(enabled, directory, fsync, groupCommitWindow, writeTimeout, rotateSize,
        rotateAge, retention, redactLiterals, Optional.of(env), Optional.of(key));
  }

  // The key is a secret: configurations get printed in logs and test failures.
  @Override
  public String toString() {
    return "AuditConfig[enabled=" + enabled + ", directory=" + directory + ", fsync=" + fsync
        + ", groupCommitWindow=" + groupCommitWindow + ", writeTimeout=" + writeTimeout
        + ", rotateSize=" + rotateSize + ", rotateAge=" + rotateAge + ", retention=" + retention
        + ", redactLiterals=" + redactLiterals + ", hmacKeyEnv=" + hmacKeyEnv
        + ", hmacKey=" + hmacKey.map(key -> "(set)").orElse("(none)") + "]";
  }
}
