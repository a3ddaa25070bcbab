package dev.sluice.gateway.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.policies.Principal;
import dev.sluice.policies.UserAccount;
import dev.sluice.policies.UserAccount.BcryptHash;
import dev.sluice.policies.UserAccount.PlainSecret;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a user name and password against the configured accounts and returns the caller's
 * {@link Principal}; shared by every protocol frontend.
 */
public final class Authenticator {
  static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
  static final int DEFAULT_CACHE_SIZE = 10_000;

  // One message for unknown users, wrong passwords and malformed headers, so that a client
  // cannot learn which user names exist.
  private static final String FAILED_MESSAGE = "Authentication failed: invalid user name or password";

  // bcrypt (cost 10) of a random password nobody knows. Unknown users are checked against it so
  // that they take as long as known users with a wrong password (no enumeration by timing).
  private static final String UNKNOWN_USER_HASH =
      "$2a$10$gIWIxMVC8rxS29pJIMzOCesf9FMp6kHbsJtZMbqDhj27lPGKswlIq";

  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

  private final Map<String, UserAccount> accounts;
  private final VerifiedCredentialCache cache;
  private final SecretKeySpec digestKey;
  private final AtomicLong bcryptVerifications = new AtomicLong();

  public Authenticator(List<UserAccount> accounts) {
    this(accounts, DEFAULT_CACHE_TTL, DEFAULT_CACHE_SIZE, System::nanoTime);
  }

  Authenticator(List<UserAccount> accounts, Duration cacheTtl, int cacheSize, LongSupplier nanoClock) {
    requireNonNull(accounts, "accounts is null");
    Map<String, UserAccount> byName = new HashMap<>();
    for (UserAccount account : accounts) {
      if (byName.putIfAbsent(account.name(), account) != null) {
        throw new IllegalArgumentException("Duplicate user: " + account.name());
      }
    }
    this.accounts = Map.copyOf(byName);
    this.cache = new VerifiedCredentialCache(cacheTtl, cacheSize, nanoClock);
    // The cache keys on an HMAC with a key that lives only in this process, not on a plain SHA-256:
    // a heap dump then holds nothing that can be brute-forced offline faster than bcrypt.
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.digestKey = new SecretKeySpec(key, "HmacSHA256");
  }

  /** The principal of {@code user} if {@code password} is theirs; empty otherwise. */
  public Optional<Principal> authenticate(String user, String password) {
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    UserAccount account = accounts.get(user);
    if (account == null) {
      verifyBcrypt(password, UNKNOWN_USER_HASH);
      return Optional.empty();
    }
    return verify(account, password) ? Optional.of(account.principal()) : Optional.empty();
  }

  /** Whether {@code user} is a configured account. */
  public boolean hasUser(String user) {
    return accounts.containsKey(requireNonNull(user, "user is null"));
  }

  /**
   * Authenticates the value of an HTTP {@code Authorization: Basic ...} header.
   *
   * @throws GatewayException with {@link ErrorCode#AUTHENTICATION_FAILED} if the header is
   *     malformed or the credentials are wrong
   */
  public Principal authenticateBasic(String authorizationHeader) {
    requireNonNull(authorizationHeader, "authorizationHeader is null");
    BasicCredentials credentials = BasicCredentials.parse(authorizationHeader).orElseThrow(Authenticator::failed);
    return authenticate(credentials.user(), credentials.password())
        .orElseThrow(Authenticator::failed);
  }

  /** How many bcrypt checks ran; lets tests see the cache work without measuring time. */
  long bcryptVerifications() {
    return bcryptVerifications.get();
  }

  // Java 17 has no pattern matching for switch; Credential is sealed, so these are all the cases.
  private boolean verify(UserAccount account, String password) {
    if (account.credential() instanceof BcryptHash bcrypt) {
      return verifyCached(account.name(), password, bcrypt);
    }
    if (account.credential() instanceof PlainSecret plain) {
      return constantTimeEquals(password, plain.secret());
    }
    throw new IllegalStateException("Unknown credential type: " + account.credential().getClass());
  }

  private boolean verifyCached(String user, String password, BcryptHash bcrypt) {
    VerifiedCredentialCache.Key key = new VerifiedCredentialCache.Key(user, digest(password));
    if (cache.contains(key)) {
      return true;
    }
    // Failures are not cached: a wrong password must cost the caller a full bcrypt check.
    boolean verified = verifyBcrypt(password, bcrypt.hash());
    if (verified) {
      cache.add(key);
    }
    return verified;
  }

  private boolean verifyBcrypt(String password, String hash) {
    bcryptVerifications.incrementAndGet();
    BCrypt.Result result;
    try {
      result = BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray());
    } catch (IllegalArgumentException e) {
      // bcrypt only looks at 72 bytes; the library refuses longer passwords rather than
      // silently truncating them, and so do we.
      return false;
    }
    if (!result.validFormat) {
      log.warn("A configured bcrypt hash is malformed: {}", result.formatErrorMessage);
      return false;
    }
    return result.verified;
  }

  private String digest(String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(digestKey);
      return HexFormat.of().formatHex(mac.doFinal(password.getBytes(UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "HmacSHA256 is not available", e);
    }
  }

  // Hashing both sides first makes the comparison constant-time regardless of length.
  private static boolean constantTimeEquals(String given, String expected) {
    return MessageDigest.isEqual(sha256(given), sha256(expected));
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "SHA-256 is not available", e);
    }
  }

  private static GatewayException failed() {
    return new GatewayException(ErrorCode.AUTHENTICATION_FAILED, FAILED_MESSAGE);
  }
}
