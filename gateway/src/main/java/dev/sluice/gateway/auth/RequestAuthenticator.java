package dev.sluice.gateway.auth;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.policies.Principal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates one request from its {@code Authorization} header (Basic or Bearer) and the
 * client's address, with failed-login throttling; every HTTP route that needs a caller uses it.
 *
 * <p>Messages are fixed strings: they never echo the header, a user name, a password or a token.
 */
public final class RequestAuthenticator {
  static final String REQUIRED_MESSAGE = "Authentication required: use Basic or Bearer";
  static final String PASSWORD_FAILED_MESSAGE = "Authentication failed: invalid user name or password";
  static final String TOKEN_FAILED_MESSAGE = "Authentication failed: invalid, expired or revoked token";
  static final String SCHEME_FAILED_MESSAGE = "Authentication failed: unsupported authorization scheme";

  private static final String BEARER = "Bearer ";
  private static final Logger log = LoggerFactory.getLogger(RequestAuthenticator.class);

  private final Authenticator authenticator;
  private final TokenStore tokens;
  private final LoginThrottle throttle;
  private final LoginAudit audit;

  public RequestAuthenticator(Authenticator authenticator, TokenStore tokens, LoginThrottle throttle) {
    this(authenticator, tokens, throttle, LoginAudit.NONE);
  }

  /** {@code audit} hears of every refused login (not of requests that simply sent no credentials yet). */
  public RequestAuthenticator(
      Authenticator authenticator, TokenStore tokens, LoginThrottle throttle, LoginAudit audit) {
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.throttle = requireNonNull(throttle, "throttle is null");
    this.audit = requireNonNull(audit, "audit is null");
  }

  /**
   * The caller of a request authenticated with Basic or Bearer.
   *
   * @param authorization the {@code Authorization} header, if the request had one
   * @throws GatewayException with {@link ErrorCode#AUTHENTICATION_FAILED}; with a {@link
   *     GatewayException#retryAfter()} when the user name or address is locked out
   */
  public Principal authenticate(Optional<String> authorization, InetAddress client) {
    String header = present(authorization, client);
    if (isBearer(header)) {
      return principalOfToken(header, client);
    }
    return authenticatePassword(header, client);
  }

  /** Like {@link #authenticate} but Basic only: a token must not be able to mint new tokens. */
  public Principal authenticatePassword(Optional<String> authorization, InetAddress client) {
    return authenticatePassword(present(authorization, client), client);
  }

  /** Whether the header offers a user name and password (Basic), which a token may be issued for. */
  public static boolean isBasic(Optional<String> authorization) {
    return requireNonNull(authorization, "authorization is null").map(BasicCredentials::isBasic).orElse(false);
  }

  public IssuedToken issueToken(Principal principal) {
    return tokens.issue(principal);
  }

  /**
   * Authenticates a Bearer header and revokes its token.
   *
   * @return the principal the token belonged to
   */
  public Principal revokeToken(Optional<String> authorization, InetAddress client) {
    String header = present(authorization, client);
    if (!isBearer(header)) {
      throw fail(Optional.empty(), client, SCHEME_FAILED_MESSAGE);
    }
    Principal principal = principalOfToken(header, client);
    tokens.revoke(tokenOf(header));
    return principal;
  }

  private String present(Optional<String> authorization, InetAddress client) {
    requireNonNull(authorization, "authorization is null");
    requireNonNull(client, "client is null");
    // A missing header is how every HTTP client starts (it waits for the challenge), not a failure.
    return authorization.orElseThrow(() -> new GatewayException(ErrorCode.AUTHENTICATION_FAILED, REQUIRED_MESSAGE));
  }

  private Principal authenticatePassword(String header, InetAddress client) {
    if (!BasicCredentials.isBasic(header)) {
      checkNotLockedOut(Optional.empty(), client);
      throw fail(Optional.empty(), client, SCHEME_FAILED_MESSAGE);
    }
    Optional<BasicCredentials> credentials = BasicCredentials.parse(header);
    Optional<String> user = credentials.map(BasicCredentials::user);
    // Checked before the password so that a locked-out caller cannot learn anything more, and
    // costs no bcrypt time.
    checkNotLockedOut(user, client);
    if (credentials.isEmpty()) {
      throw fail(Optional.empty(), client, PASSWORD_FAILED_MESSAGE);
    }
    Optional<Principal> principal = authenticator.authenticate(credentials.get().user(), credentials.get().password());
    if (principal.isEmpty()) {
      throw fail(user, client, PASSWORD_FAILED_MESSAGE);
    }
    throttle.recordSuccess(credentials.get().user());
    return principal.get();
  }

  private Principal principalOfToken(String header, InetAddress client) {
    checkNotLockedOut(Optional.empty(), client);
    Optional<Principal> principal = tokens.principal(tokenOf(header));
    if (principal.isEmpty()) {
      // No user name: a bad token counts against the address only.
      throw fail(Optional.empty(), client, TOKEN_FAILED_MESSAGE);
    }
    return principal.get();
  }

  private void checkNotLockedOut(Optional<String> user, InetAddress client) {
    Optional<Duration> lockedOutFor = throttle.lockedOutFor(user, client);
    if (lockedOutFor.isPresent()) {
      long seconds = Math.max(1, (lockedOutFor.get().toMillis() + 999) / 1000);
      GatewayException refused = new GatewayException(
          ErrorCode.AUTHENTICATION_FAILED,
          "Authentication refused: too many failed attempts; retry in " + seconds + " s",
          Duration.ofSeconds(seconds));
      audit.refused(user, user.filter(authenticator::hasUser).isPresent(), client, refused);
      throw refused;
    }
  }

  private GatewayException fail(Optional<String> user, InetAddress client, String message) {
    if (throttle.recordFailure(user, client)) {
      // Only configured user names are logged: an unknown "user name" is often a password typed
      // into the wrong field.
      String who = user.filter(authenticator::hasUser).map(name -> "user " + name).orElse("an unknown or no user name");
      log.warn("Too many failed logins from {} for {}; refusing them for a while", client.getHostAddress(), who);
    } else {
      log.debug("Failed login from {}", client.getHostAddress());
    }
    GatewayException failure = new GatewayException(ErrorCode.AUTHENTICATION_FAILED, message);
    audit.refused(user, user.filter(authenticator::hasUser).isPresent(), client, failure);
    return failure;
  }

  private static boolean isBearer(String header) {
    String stripped = header.strip();
    return stripped.regionMatches(true, 0, BEARER, 0, BEARER.length());
  }

  private static String tokenOf(String header) {
    return header.strip().substring(BEARER.length()).strip();
  }
}
