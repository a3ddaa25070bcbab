package dev.sluice.dialects.databricks;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * How the gateway signs in to a Databricks workspace. The values are the secrets themselves (the
 * gateway's configuration resolves them from the environment); {@code toString} never shows them.
 */
public sealed interface DatabricksAuthentication {

  /** Connection parameters that may be logged: they go into the JDBC URL. */
  Map<String, String> urlParameters();

  /** Connection parameters that are secret: they go into the driver's properties only. */
  Map<String, String> secretProperties();

  /** A personal access token (or a service principal's token): the driver's AuthMech 3. */
  record PersonalAccessToken(String token) implements DatabricksAuthentication {
    public PersonalAccessToken {
      requireNonNull(token, "token is null");
      if (token.isBlank()) {
        throw new IllegalArgumentException("the Databricks access token is empty");
      }
    }

    @Override
    public Map<String, String> urlParameters() {
      return Map.of("AuthMech", "3");
    }

    @Override
    public Map<String, String> secretProperties() {
      // The driver's documented form: the literal user name "token" and the token as password.
      return Map.of("UID", "token", "PWD", token);
    }

    @Override
    public String toString() {
      return "PersonalAccessToken[token=***]";
    }
  }

  /**
   * OAuth machine-to-machine: a service principal's client id and secret, exchanged by the driver
   * for short-lived tokens (AuthMech 11, Auth_Flow 1 is the client-credentials flow).
   */
  record OAuthMachineToMachine(String clientId, String clientSecret)
      implements DatabricksAuthentication {
    public OAuthMachineToMachine {
      requireNonNull(clientId, "clientId is null");
      requireNonNull(clientSecret, "clientSecret is null");
      if (clientId.isBlank() || clientSecret.isBlank()) {
        throw new IllegalArgumentException("the Databricks OAuth client id or secret is empty");
      }
      DatabricksConnectionSettings.checkUrlValue("clientId", clientId);
    }

    @Override
    public Map<String, String> urlParameters() {
      // The client id identifies the principal in warehouse logs: useful, and not a secret.
      return Map.of("AuthMech", "11", "Auth_Flow", "1", "OAuth2ClientId", clientId);
    }

    @Override
    public Map<String, String> secretProperties() {
      return Map.of("OAuth2Secret", clientSecret);
    }

    @Override
    public String toString() {
      return "OAuthMachineToMachine[clientId=" + clientId + ", clientSecret=***]";
    }
  }
}
