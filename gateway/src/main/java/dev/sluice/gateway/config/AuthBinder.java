package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** Binds {@code auth}: bearer-token lifetime and failed-login throttling. */
final class AuthBinder {
  private static final String PATH = "auth";
  private static final List<String> KEYS =
      List.of("token_ttl", "max_tokens", "max_failed_logins", "failed_login_window", "lockout");

  private AuthBinder() {}

  static AuthConfig bind(ObjectNode root, ConfigReader reader) {
    Optional<ObjectNode> auth = ConfigReader.field(root, PATH).flatMap(node -> reader.mapping(node, PATH, KEYS));
    if (auth.isEmpty()) {
      return AuthConfig.defaults();
    }
    ObjectNode node = auth.get();
    return new AuthConfig(
        reader.duration(node, PATH, "token_ttl", AuthConfig.DEFAULT_TOKEN_TTL),
        reader.integer(node, PATH, "max_tokens", AuthConfig.DEFAULT_MAX_TOKENS, 1, 10_000_000),
        reader.integer(node, PATH, "max_failed_logins", AuthConfig.DEFAULT_MAX_FAILED_LOGINS, 1, 1000),
        reader.duration(node, PATH, "failed_login_window", AuthConfig.DEFAULT_FAILED_LOGIN_WINDOW),
        reader.duration(node, PATH, "lockout", AuthConfig.DEFAULT_LOCKOUT));
  }
}
