package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.policies.UserAccount;
import dev.sluice.policies.UserAccount.BcryptHash;
import dev.sluice.policies.UserAccount.Credential;
import dev.sluice.policies.UserAccount.PlainSecret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds {@code users}: each user's credential, roles and attributes. Messages never quote a
 * password hash or secret, since configuration errors end up in logs.
 */
final class UsersBinder {
  private static final String PATH = "users";
  private static final List<String> KEYS = List.of("password_hash", "password_env", "roles", "attributes");
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$[0-9]{2}\\$[./A-Za-z0-9]{53}");

  private UsersBinder() {}

  static List<UserAccount> bind(ObjectNode root, ConfigReader reader) {
    Optional<ObjectNode> users = reader.nonEmptyMapping(root, "", PATH, "user");
    if (users.isEmpty()) {
      return List.of();
    }
    List<UserAccount> bound = new ArrayList<>();
    for (ConfigReader.Entry entry : reader.entries(users.get(), PATH)) {
      int before = reader.problemCount();
      reader.checkName(entry.key(), entry.path());
      Optional<UserAccount> user = reader.mapping(entry.value(), entry.path(), KEYS)
          .flatMap(node -> user(entry.key(), node, entry.path(), reader));
      if (reader.problemCount() == before) {
        user.ifPresent(bound::add);
      }
    }
    return bound;
  }

  private static Optional<UserAccount> user(String name, ObjectNode node, String path, ConfigReader reader) {
    Optional<Credential> credential = credential(node, path, reader);
    Set<String> roles = roles(node, path, reader);
    Map<String, String> attributes = attributes(node, path, reader);
    return credential.map(c -> new UserAccount(name, c, roles, attributes));
  }

  private static Set<String> roles(ObjectNode node, String path, ConfigReader reader) {
    Set<String> roles = new LinkedHashSet<>();
    Optional<JsonNode> value = ConfigReader.field(node, "roles");
    // A user without roles could log in but see nothing, which is never what was meant.
    if (value.isEmpty() || value.get().isArray() && value.get().isEmpty()) {
      reader.problem(ConfigReader.path(path, "roles"), "at least one role is required");
      return roles;
    }
    for (ConfigReader.Entry role : reader.stringList(node, path, "roles")) {
      if (reader.checkName(role.key(), role.path())) {
        roles.add(role.key());
      }
    }
    return roles;
  }

  private static Optional<Credential> credential(ObjectNode node, String path, ConfigReader reader) {
    boolean hasHash = ConfigReader.field(node, "password_hash").isPresent();
    boolean hasEnv = ConfigReader.field(node, "password_env").isPresent();
    if (hasHash == hasEnv) {
      reader.problem(path, hasHash
          ? "set either password_hash or password_env, not both"
          : "one of password_hash or password_env is required");
      return Optional.empty();
    }
    if (hasHash) {
      String hashPath = ConfigReader.path(path, "password_hash");
      Optional<String> hash = reader.requiredString(node, path, "password_hash");
      if (hash.isPresent() && !BCRYPT.matcher(hash.get()).matches()) {
        reader.problem(hashPath, "must be a bcrypt hash ($2a$, $2b$ or $2y$ followed by cost and 53 characters)");
        return Optional.empty();
      }
      return hash.map(BcryptHash::new);
    }
    return passwordFromEnvironment(node, path, reader);
  }

  private static Optional<Credential> passwordFromEnvironment(ObjectNode node, String path, ConfigReader reader) {
    String envPath = ConfigReader.path(path, "password_env");
    Optional<String> variable = reader.requiredString(node, path, "password_env");
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
      return Optional.empty();
    }
    if (secret.get().isEmpty()) {
      reader.problem(envPath, "environment variable " + variable.get() + " is empty");
      return Optional.empty();
    }
    return Optional.of(new PlainSecret(secret.get()));
  }

  private static Map<String, String> attributes(ObjectNode node, String path, ConfigReader reader) {
    Map<String, String> attributes = new LinkedHashMap<>();
    String attributesPath = ConfigReader.path(path, "attributes");
    ConfigReader.field(node, "attributes")
        .flatMap(value -> reader.mapping(value, attributesPath))
        .ifPresent(mapping -> reader.entries(mapping, attributesPath).forEach(attribute -> {
          if (reader.checkName(attribute.key(), attribute.path())) {
            reader.string(attribute.value(), attribute.path())
                .ifPresent(value -> attributes.put(attribute.key(), value));
          }
        }));
    return attributes;
  }
}
