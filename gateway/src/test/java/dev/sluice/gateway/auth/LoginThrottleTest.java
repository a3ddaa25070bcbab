package dev.sluice.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private static final InetAddress HOME = address("10.0.0.1");
  private static final InetAddress AWAY = address("10.0.0.2");
  private static final InetAddress ELSEWHERE = address("10.0.0.3");

  private final AtomicLong nanos = new AtomicLong(5_000);
  private final LoginThrottle throttle =
      new LoginThrottle(3, Duration.ofMinutes(5), Duration.ofMinutes(10), 100, nanos::get);

  @Test
  void locksAUserNameOutAfterTooManyFailuresFromAnywhere() {
    assertThat(throttle.recordFailure(Optional.of("max"), HOME)).isFalse();
    assertThat(throttle.recordFailure(Optional.of("max"), AWAY)).isFalse();
    assertThat(throttle.lockedOutFor(Optional.of("max"), ELSEWHERE)).isEmpty();
    assertThat(throttle.recordFailure(Optional.of("max"), ELSEWHERE)).isTrue();

    assertThat(throttle.lockedOutFor(Optional.of("max"), address("10.9.9.9"))).contains(Duration.ofMinutes(10));
    assertThat(throttle.lockedOutFor(Optional.of("mia"), HOME)).isEmpty();
  }

  @Test
  void locksAnAddressOutAfterTooManyFailuresForAnyUsers() {
    throttle.recordFailure(Optional.of("max"), HOME);
    throttle.recordFailure(Optional.of("mia"), HOME);
    throttle.recordFailure(Optional.empty(), HOME);

    assertThat(throttle.lockedOutFor(Optional.of("ana"), HOME)).isPresent();
    assertThat(throttle.lockedOutFor(Optional.empty(), HOME)).isPresent();
    assertThat(throttle.lockedOutFor(Optional.of("ana"), AWAY)).isEmpty();
  }

  @Test
  void theLockoutEnds() {
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure(Optional.of("max"), HOME);
    }
    nanos.addAndGet(Duration.ofMinutes(4).toNanos());
    assertThat(throttle.lockedOutFor(Optional.of("max"), AWAY)).contains(Duration.ofMinutes(6));

    nanos.addAndGet(Duration.ofMinutes(6).toNanos());
    assertThat(throttle.lockedOutFor(Optional.of("max"), AWAY)).isEmpty();
    assertThat(throttle.lockedOutFor(Optional.of("max"), HOME)).isEmpty();
  }

  @Test
  void failuresOlderThanTheWindowNoLongerCount() {
    throttle.recordFailure(Optional.of("max"), HOME);
    throttle.recordFailure(Optional.of("max"), AWAY);
    nanos.addAndGet(Duration.ofMinutes(5).toNanos());

    assertThat(throttle.recordFailure(Optional.of("max"), ELSEWHERE)).isFalse();
    assertThat(throttle.lockedOutFor(Optional.of("max"), ELSEWHERE)).isEmpty();
  }

  @Test
  void aSuccessResetsTheUsersCountButNotTheAddresses() {
    throttle.recordFailure(Optional.of("max"), HOME);
    throttle.recordFailure(Optional.of("max"), HOME);
    throttle.recordSuccess("max");

    throttle.recordFailure(Optional.of("max"), AWAY);
    throttle.recordFailure(Optional.of("max"), AWAY);
    assertThat(throttle.lockedOutFor(Optional.of("max"), ELSEWHERE)).isEmpty();
    // HOME failed twice before the success and once more now.
    throttle.recordFailure(Optional.of("mia"), HOME);
    assertThat(throttle.lockedOutFor(Optional.empty(), HOME)).isPresent();
  }

  @Test
  void theNumberOfTrackedKeysIsBounded() {
    LoginThrottle small = new LoginThrottle(2, Duration.ofMinutes(5), Duration.ofMinutes(10), 4, nanos::get);
    for (int i = 0; i < 1000; i++) {
      small.recordFailure(Optional.of("user" + i), address("10.1." + (i / 250) + "." + (i % 250)));
    }
    assertThat(small.trackedKeys()).isEqualTo(4);
    // The newest keys still count: the bound works by evicting idle keys, not by refusing to count.
    small.recordFailure(Optional.of("user999"), HOME);
    assertThat(small.lockedOutFor(Optional.of("user999"), AWAY)).isPresent();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
