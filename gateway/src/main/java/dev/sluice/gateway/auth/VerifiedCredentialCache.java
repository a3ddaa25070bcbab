package dev.sluice.gateway.auth;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Remembers, for a short time, which (user, password digest) pairs passed a bcrypt check, so that
 * HTTP Basic credentials re-sent with every request are not re-hashed every time.
 */
final class VerifiedCredentialCache {
  /** A user and a keyed digest of the password that user presented; never the password itself. */
  record Key(String user, String passwordDigest) {
    Key {
      requireNonNull(user, "user is null");
      requireNonNull(passwordDigest, "passwordDigest is null");
    }
  }

  private final long ttlNanos;
  private final LongSupplier nanoClock;
  // Guarded by this. Access order makes it least-recently-used, so the bound evicts idle users first.
  private final LinkedHashMap<Key, Long> expiries;

  VerifiedCredentialCache(Duration ttl, int maxEntries, LongSupplier nanoClock) {
    requireNonNull(ttl, "ttl is null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
    this.expiries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
            return size() > maxEntries;
          }
        };
  }

  synchronized boolean contains(Key key) {
    Long expiresAt = expiries.get(key);
    if (expiresAt == null) {
      return false;
    }
    if (nanoClock.getAsLong() - expiresAt >= 0) {
      expiries.remove(key);
      return false;
    }
    return true;
  }

  /** Adds a verified pair; its lifetime starts now and is not extended by later hits. */
  synchronized void add(Key key) {
    expiries.put(key, nanoClock.getAsLong() + ttlNanos);
  }

  synchronized int size() {
    return expiries.size();
  }
}
