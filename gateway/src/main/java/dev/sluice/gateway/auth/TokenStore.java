package dev.sluice.gateway.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.policies.Principal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Issues opaque bearer tokens and maps them back to the principal they were issued for. Tokens are
 * 32 random bytes; only their SHA-256 is kept, in memory, until they expire or are revoked.
 */
public final class TokenStore {
  private static final int TOKEN_BYTES = 32;
  // Base64url without padding of 32 bytes is 43 characters.
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

  private record Entry(Principal principal, long expiresAtNanos) {}

  private final Duration ttl;
  private final int maxTokens;
  private final LongSupplier nanoClock;
  private final SecureRandom random = new SecureRandom();
  // Guarded by this. Every token lives equally long, so insertion order is expiry order and the
  // expired ones are always at the head.
  private final LinkedHashMap<String, Entry> byHash = new LinkedHashMap<>();

  public TokenStore(Duration ttl, int maxTokens) {
    this(ttl, maxTokens, System::nanoTime);
  }

  TokenStore(Duration ttl, int maxTokens, LongSupplier nanoClock) {
    this.ttl = requireNonNull(ttl, "ttl is null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
    }
    this.maxTokens = maxTokens;
    this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
  }

  /**
   * A new token for {@code principal}.
   *
   * @throws GatewayException with {@link ErrorCode#RESOURCE_EXHAUSTED} when {@code maxTokens} live
   *     tokens exist; refusing new ones, rather than evicting live ones, keeps a burst of logins
   *     from logging everybody else out
   */
  public IssuedToken issue(Principal principal) {
    requireNonNull(principal, "principal is null");
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long now = nanoClock.getAsLong();
    synchronized (this) {
      removeExpired(now);
      if (byHash.size() >= maxTokens) {
        throw new GatewayException(
            ErrorCode.RESOURCE_EXHAUSTED, "Too many active tokens; retry later or use Basic authentication");
      }
      byHash.put(hash(token), new Entry(principal, now + ttl.toNanos()));
    }
    return new IssuedToken(token, ttl);
  }

  /** The principal a live token was issued for; empty for unknown, expired or revoked tokens. */
  public Optional<Principal> principal(String token) {
    requireNonNull(token, "token is null");
    if (!TOKEN.matcher(token).matches()) {
      return Optional.empty();
    }
    // A hash-table lookup is not a constant-time comparison, but what it compares are SHA-256
    // digests of 256-bit random values: timing can at most reveal a prefix of a digest, which
    // does not help find a token.
    String hash = hash(token);
    long now = nanoClock.getAsLong();
    synchronized (this) {
      Entry entry = byHash.get(hash);
      if (entry == null) {
        return Optional.empty();
      }
      if (now - entry.expiresAtNanos() >= 0) {
        byHash.remove(hash);
        return Optional.empty();
      }
      return Optional.of(entry.principal());
    }
  }

  /** Forgets a token; returns whether it was live. */
  public boolean revoke(String token) {
    requireNonNull(token, "token is null");
    if (!TOKEN.matcher(token).matches()) {
      return false;
    }
    String hash = hash(token);
    long now = nanoClock.getAsLong();
    synchronized (this) {
      Entry removed = byHash.remove(hash);
      return removed != null && now - removed.expiresAtNanos() < 0;
    }
  }

  synchronized int size() {
    return byHash.size();
  }

  private void removeExpired(long now) {
    Iterator<Map.Entry<String, Entry>> entries = byHash.entrySet().iterator();
    while (entries.hasNext() && now - entries.next().getValue().expiresAtNanos() >= 0) {
      entries.remove();
    }
  }

  private static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "SHA-256 is not available", e);
    }
  }
}
