package dev.sluice.gateway.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password decoded from an HTTP {@code Authorization: Basic ...} header. Its
 * {@link #toString()} never shows the password, so that it is safe to log by accident.
 */
record BasicCredentials(String user, String password) {
  private static final String SCHEME = "Basic ";

  BasicCredentials {
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
  }

  /** Whether the header uses the Basic scheme at all, whatever follows it. */
  static boolean isBasic(String authorization) {
    String header = authorization.strip();
    return header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /** The credentials in a Basic header; empty when the header is not well-formed Basic. */
  static Optional<BasicCredentials> parse(String authorization) {
    requireNonNull(authorization, "authorization is null");
    if (!isBasic(authorization)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.strip().substring(SCHEME.length()).strip()), UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  @Override
  public String toString() {
    return "BasicCredentials[user=" + user + ", password=***]";
  }
}
