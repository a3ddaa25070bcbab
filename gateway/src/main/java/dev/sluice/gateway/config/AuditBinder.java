package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Binds {@code audit}: the audit log's directory, durability, rotation, retention and privacy. */
final class AuditBinder {
  private static final String PATH = "audit";
  private static final List<String> KEYS = List.of(
      "enabled", "directory", "fsync", "group_commit_window", "write_timeout", "rotate_size",
      "rotate_age", "retention", "redact_literals", "hmac_key_env");
  private static final List<String> RETENTION_KEYS = List.of("max_files", "max_age");
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})\\s*(B|KB|MB|GB)", Pattern.CASE_INSENSITIVE);
  private static final long MIN_ROTATE_SIZE = 1024;
  private static final int MIN_HMAC_KEY_LENGTH = 16;

  private AuditBinder() {}

  static AuditConfig bind(ObjectNode root, ConfigReader reader) {
    AuditConfig defaults = AuditConfig.defaults();
    Optional<ObjectNode> audit =
        ConfigReader.field(root, PATH).flatMap(node -> reader.mapping(node, PATH, KEYS));
    if (audit.isEmpty()) {
      return defaults;
    }
    ObjectNode node = audit.get();
    boolean enabled = reader.bool(node, PATH, "enabled", true);
    Path directory = reader.optionalString(node, PATH, "directory")
        .flatMap(text -> directory(text, reader))
        .orElse(defaults.directory());
    boolean fsync = reader.bool(node, PATH, "fsync", true);
    Duration window = ConfigReader.field(node, "group_commit_window")
        .flatMap(value -> reader.durationOrZero(value, ConfigReader.path(PATH, "group_commit_window")))
        .orElse(defaults.groupCommitWindow());
    if (window.compareTo(Duration.ofSeconds(1)) > 0) {
      reader.problem(ConfigReader.path(PATH, "group_commit_window"),
          "must be at most 1s (every query waits for it), got " + window.toMillis() + "ms");
    }
    Duration writeTimeout = reader.duration(node, PATH, "write_timeout", defaults.writeTimeout());
    long rotateSize = size(node, reader).orElse(defaults.rotateSize());
    Duration rotateAge = reader.duration(node, PATH, "rotate_age", defaults.rotateAge());
    AuditConfig.Retention retention = retention(node, reader);
    boolean redact = reader.bool(node, PATH, "redact_literals", false);
    Optional<String> keyEnv = reader.optionalString(node, PATH, "hmac_key_env");
    Optional<String> key = keyEnv.flatMap(env -> hmacKey(env, reader));
    return new AuditConfig(enabled, directory, fsync, window, writeTimeout, rotateSize, rotateAge,
        retention, redact, keyEnv, key);
  }

  private static Optional<Path> directory(String text, ConfigReader reader) {
    String path = ConfigReader.path(PATH, "directory");
    if (text.isBlank()) {
      reader.problem(path, "must not be empty");
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      reader.problem(path, "invalid path '" + text + "'");
      return Optional.empty();
    }
  }

  /** {@code rotate_size}: bytes with a unit, {@code 64MB}; units are powers of 1024. */
  private static Optional<Long> size(ObjectNode node, ConfigReader reader) {
    String path = ConfigReader.path(PATH, "rotate_size");
    Optional<String> text = ConfigReader.field(node, "rotate_size").flatMap(value -> reader.string(value, path));
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher matcher = SIZE.matcher(text.get().trim());
    if (!matcher.matches()) {
      reader.problem(path, "expected a size such as '64MB', '512KB' or '1GB', got '" + text.get() + "'");
      return Optional.empty();
    }
    long unit = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
      case "GB" -> 1024L * 1024 * 1024;
      case "MB" -> 1024L * 1024;
      case "KB" -> 1024L;
      default -> 1L;
    };
    long bytes = Long.parseLong(matcher.group(1)) * unit;
    if (bytes < MIN_ROTATE_SIZE) {
      reader.problem(path, "must be at least 1KB, got '" + text.get() + "'");
      return Optional.empty();
    }
    return Optional.of(bytes);
  }

  private static AuditConfig.Retention retention(ObjectNode node, ConfigReader reader) {
    String path = ConfigReader.path(PATH, "retention");
    Optional<ObjectNode> retention = ConfigReader.field(node, "retention")
        .flatMap(value -> reader.mapping(value, path, RETENTION_KEYS));
    if (retention.isEmpty()) {
      return AuditConfig.Retention.keepAll();
    }
    // 0 keeps every file: an audit trail is deleted only when someone decided so.
    int maxFiles = reader.integer(retention.get(), path, "max_files", 0, 0, 1_000_000);
    if (maxFiles == 1) {
      reader.problem(ConfigReader.path(path, "max_files"),
          "must be 0 (keep all) or at least 2: the file being written is always kept");
    }
    Optional<Duration> maxAge = ConfigReader.field(retention.get(), "max_age")
        .flatMap(value -> reader.duration(value, ConfigReader.path(path, "max_age")));
    return new AuditConfig.Retention(maxFiles, maxAge);
  }

  private static Optional<String> hmacKey(String variable, ConfigReader reader) {
    String path = ConfigReader.path(PATH, "hmac_key_env");
    if (!VariableSubstitution.VARIABLE_NAME.matcher(variable).matches()) {
      reader.problem(path, "invalid environment variable name '" + variable + "'");
      return Optional.empty();
    }
    Optional<String> key = reader.variables().resolve(variable);
    if (key.isEmpty()) {
      reader.problem(path, "environment variable " + variable + " is not set");
    } else if (key.get().length() < MIN_HMAC_KEY_LENGTH) {
      // The message never quotes the key.
      reader.problem(path, "the key in " + variable + " must be at least " + MIN_HMAC_KEY_LENGTH + " characters");
      return Optional.empty();
    }
    return key;
  }
}
