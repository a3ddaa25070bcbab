package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An authenticated caller: the user name, the roles it holds and its attributes (such as {@code region}). */
public record Principal(String user, Set<String> roles, Map<String, String> attributes) {
  public Principal {
    requireNonNull(user, "user is null");
    roles = Set.copyOf(requireNonNull(roles, "roles is null"));
    attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
  }

  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
