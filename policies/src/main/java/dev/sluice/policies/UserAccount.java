package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;

/**
 * A configured user: name, how its password is checked, its roles and attributes. The secret is
 * never printed: {@link #toString()} leaves it out.
 */
public record UserAccount(
    String name, Credential credential, Set<String> roles, Map<String, String> attributes) {

  /** How a user's password is verified: a bcrypt hash from the file, or a secret from the environment. */
  public sealed interface Credential permits BcryptHash, PlainSecret {}

  /** A bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}) of the password. */
  public record BcryptHash(String hash) implements Credential {
    public BcryptHash {
      requireNonNull(hash, "hash is null");
    }

    @Override
    public String toString() {
      return "BcryptHash[***]";
    }
  }

  /** The password itself, provided through an environment variable; compared in constant time. */
  public record PlainSecret(String secret) implements Credential {
    public PlainSecret {
      requireNonNull(secret, "secret is null");
    }

    @Override
    public String toString() {
      return "PlainSecret[***]";
    }
  }

  public UserAccount {
    requireNonNull(name, "name is null");
    requireNonNull(credential, "credential is null");
    roles = Set.copyOf(requireNonNull(roles, "roles is null"));
    attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
  }

  public Principal principal() {
    return new Principal(name, roles, attributes);
  }
}
