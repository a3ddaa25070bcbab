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

  private static final List<String> DATABRICKS_KEYS =
      List.of("server_hostname", "port", "http_path", "token_env", "client_id", "client_secret_env",
          "catalog", "schema");

  private ServerSettingsBinder() {}

  /**
   * Databricks as its admins describe it: server hostname, HTTP path of the SQL warehouse, and
   * either a personal access token ({@code token_env}) or OAuth machine-to-machine credentials
   * ({@code client_id} with {@code client_secret_env}); optional default catalog and schema.
   */
  static Map<String, String> databricks(ObjectNode warehouse, String path, ConfigReader reader) {
    Map<String, String> settings = new LinkedHashMap<>();
    Optional<JsonNode> node = ConfigReader.field(warehouse, "databricks");
    if (node.isEmpty()) {
      reader.problem(path, "is required (with server_hostname, http_path and credentials)");
      return settings;
    }
    reader.mapping(node.get(), path, DATABRICKS_KEYS).ifPresent(block -> {
      reader.requiredNonBlankString(block, path, "server_hostname").ifPresent(host -> settings.put("server_hostname", host));
      settings.put("port", Integer.toString(reader.integer(block, path, "port", 443, 1, 65535)));
      reader.requiredNonBlankString(block, path, "http_path").ifPresent(http -> settings.put("http_path", http));
      boolean token = ConfigReader.field(block, "token_env").isPresent();
      boolean oauth = ConfigReader.field(block, "client_id").isPresent()
          || ConfigReader.field(block, "client_secret_env").isPresent();
      if (token == oauth) {
        reader.problem(path, token
            ? "set either token_env or client_id with client_secret_env, not both"
            : "credentials are required: token_env (personal access token) or client_id with client_secret_env (OAuth)");
      } else if (token) {
        secret(block, path, "token_env", reader).ifPresent(value -> settings.put("token", value));
      } else {
        reader.requiredNonBlankString(block, path, "client_id").ifPresent(id -> settings.put("client_id", id));
        secret(block, path, "client_secret_env", reader).ifPresent(value -> settings.put("client_secret", value));
      }
      reader.optionalString(block, path, "catalog").ifPresent(catalog -> settings.put("catalog", catalog));
      reader.optionalString(block, path, "schema").ifPresent(schema -> settings.put("schema", schema));
    });
    return settings;
  }

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
    return secret(block, path, "password_env", reader);
  }

  /** The secret held by the environment variable that {@code key} names. */
  private static Optional<String> secret(ObjectNode block, String path, String key, ConfigReader reader) {
    String envPath = ConfigReader.path(path, key);
    Optional<String> variable = reader.requiredString(block, path, key);
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
