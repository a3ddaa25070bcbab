package dev.sluice.gateway.auth;

import dev.sluice.gateway.GatewayException;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Told about every refused login (wrong credentials, unknown token, lockout), for the audit log.
 * It gets the user name as given and whether it names a configured user, never a password or token.
 */
@FunctionalInterface
public interface LoginAudit {
  LoginAudit NONE = (user, knownUser, client, failure) -> {};

  void refused(Optional<String> user, boolean knownUser, InetAddress client, GatewayException failure);
}
