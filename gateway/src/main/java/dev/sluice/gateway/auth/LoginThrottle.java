package dev.sluice.gateway.auth;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Counts failed logins per user name and per client address in a sliding window, and locks a name
 * or address out for a while once it has failed too often.
 *
 * <p>Names are counted whether or not such a user exists, so that a lockout reveals nothing about
 * which users exist. The map of counters is bounded (least recently used go first): spraying more
 * keys than it holds can only reset counters, never grow memory.
 */
public final class LoginThrottle {
  static final int DEFAULT_MAX_KEYS = 100_000;

  /** What a counter belongs to; user names and addresses never collide. */
  private record Key(boolean address, String value) {}

  /** Failure times inside the window (oldest first) and, while locked, when the lockout ends. */
  private static final class Counter {
    final ArrayDeque<Long> failures = new ArrayDeque<>();
    long lockedUntil;
    boolean locked;
  }

  private final int maxFailures;
  private final long windowNanos;
  private final long lockoutNanos;
  private final LongSupplier nanoClock;
  // Guarded by this. Access order makes the bound evict idle keys first.
  private final LinkedHashMap<Key, Counter> counters;

  public LoginThrottle(int maxFailures, Duration window, Duration lockout) {
    this(maxFailures, window, lockout, DEFAULT_MAX_KEYS, System::nanoTime);
  }

  LoginThrottle(int maxFailures, Duration window, Duration lockout, int maxKeys, LongSupplier nanoClock) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be positive: " + maxFailures);
    }
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys);
    }
    this.maxFailures = maxFailures;
    this.windowNanos = positive(window, "window").toNanos();
    this.lockoutNanos = positive(lockout, "lockout").toNanos();
    this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
    this.counters =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Counter> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /**
   * How much longer the user name (if any) or the address stays locked out, the longer of the two;
   * empty when neither is.
   */
  public synchronized Optional<Duration> lockedOutFor(Optional<String> user, InetAddress address) {
    requireNonNull(user, "user is null");
    requireNonNull(address, "address is null");
    long now = nanoClock.getAsLong();
    long remaining = remainingLockout(addressKey(address), now);
    if (user.isPresent()) {
      remaining = Math.max(remaining, remainingLockout(userKey(user.get()), now));
    }
    return remaining > 0 ? Optional.of(Duration.ofNanos(remaining)) : Optional.empty();
  }

  /**
   * Records one failed attempt for the user name (if any) and the address.
   *
   * @return whether this failure started a lockout of either, which is worth a log line
   */
  public synchronized boolean recordFailure(Optional<String> user, InetAddress address) {
    requireNonNull(user, "user is null");
    requireNonNull(address, "address is null");
    long now = nanoClock.getAsLong();
    boolean locked = recordFailure(addressKey(address), now);
    if (user.isPresent()) {
      locked |= recordFailure(userKey(user.get()), now);
    }
    return locked;
  }

  /**
   * Forgets the user's failures after a successful login. The address keeps its count: one
   * success must not let an address go on guessing other users' passwords.
   */
  public synchronized void recordSuccess(String user) {
    requireNonNull(user, "user is null");
    Key key = userKey(user);
    Counter counter = counters.get(key);
    if (counter != null && !counter.locked) {
      counters.remove(key);
    }
  }

  synchronized int trackedKeys() {
    return counters.size();
  }

  private long remainingLockout(Key key, long now) {
    Counter counter = counters.get(key);
    if (counter == null || !counter.locked) {
      return 0;
    }
    long remaining = counter.lockedUntil - now;
    if (remaining <= 0) {
      counters.remove(key);
      return 0;
    }
    return remaining;
  }

  private boolean recordFailure(Key key, long now) {
    Counter counter = counters.computeIfAbsent(key, k -> new Counter());
    if (counter.locked) {
      if (counter.lockedUntil - now > 0) {
        return false;
      }
      counter.locked = false;
    }
    while (!counter.failures.isEmpty() && now - counter.failures.peekFirst() >= windowNanos) {
      counter.failures.pollFirst();
    }
    counter.failures.addLast(now);
    if (counter.failures.size() < maxFailures) {
      return false;
    }
    counter.failures.clear();
    counter.locked = true;
    counter.lockedUntil = now + lockoutNanos;
    return true;
  }

  private static Key userKey(String user) {
    return new Key(false, user);
  }

  private static Key addressKey(InetAddress address) {
    return new Key(true, address.getHostAddress());
  }

  private static Duration positive(Duration value, String name) {
    requireNonNull(value, name + " is null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }
}
