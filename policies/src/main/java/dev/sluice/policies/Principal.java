package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An authenticated caller: the user name, the roles it holds, its attributes (such as {@code
 * region}) and the purpose it declared for its queries, if any (such as {@code email_marketing}).
 */
public record Principal(String user, Set<String> roles, Map<String, String> attributes, Optional<String> purpose) {
  public Principal {
    requireNonNull(user, "user is null");
    roles = Set.copyOf(requireNonNull(roles, "roles is null"));
    attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
    requireNonNull(purpose, "purpose is null");
  }

  /** A caller that declared no purpose. */
  public Principal(String user, Set<String> roles, Map<String, String> attributes) {
    this(user, roles, attributes, Optional.empty());
  }

  /**
   * The same caller declaring {@code purpose} instead, as a client sent it: surrounding blanks are
   * dropped, and a blank purpose is none.
   */
  public Principal withPurpose(Optional<String> purpose) {
    return new Principal(user, roles, attributes, purpose.map(String::strip).filter(p -> !p.isEmpty()));
  }

  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
