package dev.sluice.gateway.auth;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A bearer token just issued, as the client receives it once; the gateway keeps only its hash.
 * {@link #toString()} hides the token.
 */
public record IssuedToken(String token, Duration expiresIn) {
  public IssuedToken {
    requireNonNull(token, "token is null");
    requireNonNull(expiresIn, "expiresIn is null");
  }

  @Override
  public String toString() {
    return "IssuedToken[token=***, expiresIn=" + expiresIn + "]";
  }
}
