package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.gateway.engine.QueryContext;
import java.util.List;
import java.util.Optional;

/**
 * Who sent a request, as audit records name them: user and roles, protocol, client address and
 * application, and the purpose the caller declared, if any. The user is empty only for refused
 * logins with an unknown user name.
 */
public record Caller(
    Optional<String> user,
    List<String> roles,
    Optional<String> protocol,
    Optional<String> clientAddress,
    Optional<String> clientApplication,
    Optional<String> purpose) {
  public Caller {
    requireNonNull(user, "user is null");
    roles = List.copyOf(requireNonNull(roles, "roles is null"));
    requireNonNull(protocol, "protocol is null");
    requireNonNull(clientAddress, "clientAddress is null");
    requireNonNull(clientApplication, "clientApplication is null");
    requireNonNull(purpose, "purpose is null");
  }

  public static Caller of(QueryContext context) {
    return new Caller(
        Optional.of(context.principal().user()),
        context.principal().roles().stream().sorted().toList(),
        Optional.of(context.protocol().label()),
        context.clientAddress(),
        context.clientApplication(),
        context.principal().purpose());
  }

  void writeFields(ObjectNode record) {
    record.put("user", user.orElse(null));
    AuditJson.strings(record.putArray("roles"), roles);
    record.put("protocol", protocol.orElse(null));
    record.put("client_address", clientAddress.orElse(null));
    record.put("client_application", clientApplication.orElse(null));
    record.put("purpose", purpose.orElse(null));
  }
}
