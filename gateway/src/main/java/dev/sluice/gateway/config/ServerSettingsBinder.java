package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.dialects.postgresql.PostgresConnectionSettings;
import dev.sluice.dialects.redshift.RedshiftConnectionSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the settings blocks of warehouses reached over the network (PostgreSQL, Redshift): host,
 * port, database, user, credentials and SSL mode, as their admins write them. The password is
 * read from the environment variable {@code password_env} names and kept in the settings map,
 * which {@link WarehouseConfig#toString} never prints.
 */
final class ServerSettingsBinder {
  private static final List<String> POSTGRES_KEYS =
      List.of("host", "port", "database", "user", "password_env", "ssl_mode");
  private static final List<String> REDSHIFT_KEYS =
      List.of("host", "port", "database", "user", "password_env", "iam_profile", "ssl_mode");

  private ServerSettingsBinder() {}

  static Map<String, String> postgres(ObjectNode warehouse, String path, ConfigReader reader) {
    Map<String, String> settings = new LinkedHashMap<>();
    block(warehouse, "postgresql", path, POSTGRES_KEYS, reader).ifPresent(block -> {
      common(block, path, PostgresConnectionSettings.DEFAULT_PORT, settings, reader);
      password(block, path, reader).ifPresent(password -> settings.put("password", password));
      sslMode(block, path, PostgresConnectionSettings.SSL_MODES,
          PostgresConnectionSettings.DEFAULT_SSL_MODE, settings, reader);
    });
    return settings;
  }

  static Map<String, String> redshift(ObjectNode warehouse, String path, ConfigReader reader) {
    Map<String, String> settings = new LinkedHashMap<>();
    block(warehouse, "redshift", path, REDSHIFT_KEYS, reader).ifPresent(block -> {
      common(block, path, RedshiftConnectionSettings.DEFAULT_PORT, settings, reader);
      boolean hasPassword = ConfigReader.field(block, "password_env").isPresent();
      boolean hasProfile = ConfigReader.field(block, "iam_profile").isPresent();
      if (hasPassword == hasProfile) {
        reader.problem(path, hasPassword
            ? "set either password_env or iam_profile, not both"
            : "one of password_env or iam_profile is required");
      } else if (hasPassword) {
        password(block, path, reader).ifPresent(password -> settings.put("password", password));
      } else {
        reader.requiredNonBlankString(block, path, "iam_profile")
            .ifPresent(profile -> settings.put("iam_profile", profile));
      }
      sslMode(block, path, RedshiftConnectionSettings.SSL_MODES,
          RedshiftConnectionSettings.DEFAULT_SSL_MODE, settings, reader);
    });
    return settings;
  }

  private static Optional<ObjectNode> block(
      ObjectNode warehouse, String key, String path, List<String> keys, ConfigReader reader) {
    Optional<JsonNode> block = ConfigReader.field(warehouse, key);
    if (block.isEmpty()) {
      reader.problem(path, "is required (with at least host, database, user and credentials)");
      return Optional.empty();
    }
    return reader.mapping(block.get(), path, keys);
  }

  private static void common(
      ObjectNode block, String path, int defaultPort, Map<String, String> settings, ConfigReader reader) {
    reader.requiredNonBlankString(block, path, "host").ifPresent(host -> settings.put("host", host));
    settings.put("port", Integer.toString(reader.integer(block, path, "port", defaultPort, 1, 65535)));
    reader.requiredNonBlankString(block, path, "database").ifPresent(database -> settings.put("database", database));
    reader.requiredNonBlankString(block, path, "user").ifPresent(user -> settings.put("user", user));
  }

  private static Optional<String> password(ObjectNode block, String path, ConfigReader reader) {
    String envPath = ConfigReader.path(path, "password_env");
    Optional<String> variable = reader.requiredString(block, path, "password_env");
    if (variable.isEmpty()) {
      return Optional.empty();
    }
    if (!VariableSubstitution.VARIABLE_NAME.matcher(variable.get()).matches()) {
      reader.problem(envPath, "invalid environment variable name '" + variable.get() + "'");
      return Optional.empty();
    }
    Optional<String> secret = reader.variables().resolve(variable.get());
    if (secret.isEmpty()) {
      reader.problem(envPath, "environment variable " + variable.get() + " is not set");
    }
    // An empty password is legitimate for trust-authenticated servers.
    return secret;
  }

  private static void sslMode(ObjectNode block, String path, List<String> modes, String defaultMode,
      Map<String, String> settings, ConfigReader reader) {
    String mode = reader.optionalString(block, path, "ssl_mode").orElse(defaultMode);
    if (!modes.contains(mode)) {
      reader.problem(ConfigReader.path(path, "ssl_mode"),
          "unknown SSL mode '" + mode + "' (expected one of " + String.join(", ", modes) + ")");
      return;
    }
    settings.put("ssl_mode", mode);
  }
}
