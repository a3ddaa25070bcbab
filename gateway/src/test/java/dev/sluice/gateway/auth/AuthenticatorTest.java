package dev.sluice.gateway.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.policies.Principal;
import dev.sluice.policies.UserAccount;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  // Cost 4 is the minimum: these tests count verifications, they do not need slow hashes.
  private static final String MAX_HASH = BCrypt.withDefaults().hashToString(4, "max-demo".toCharArray());

  private final AtomicLong nanos = new AtomicLong();
  private final Authenticator authenticator =
      new Authenticator(
          List.of(
              new UserAccount(
                  "max", new UserAccount.BcryptHash(MAX_HASH), Set.of("marketer"), Map.of()),
              new UserAccount(
                  "mia",
                  new UserAccount.PlainSecret("mia-secret"),
                  Set.of("marketer"),
                  Map.of("region", "EU"))),
          Duration.ofMinutes(5),
          2,
          nanos::get);

  @Test
  void rightPasswordGivesTheAccountsPrincipal() {
    assertThat(authenticator.authenticate("max", "max-demo"))
        .contains(new Principal("max", Set.of("marketer"), Map.of()));
    assertThat(authenticator.authenticate("mia", "mia-secret"))
        .contains(new Principal("mia", Set.of("marketer"), Map.of("region", "EU")));
  }

  @Test
  void wrongPasswordOrUnknownUserGivesNothing() {
    assertThat(authenticator.authenticate("max", "wrong")).isEmpty();
    assertThat(authenticator.authenticate("mia", "wrong")).isEmpty();
    assertThat(authenticator.authenticate("mia", "")).isEmpty();
    assertThat(authenticator.authenticate("nobody", "max-demo")).isEmpty();
  }

  @Test
  void unknownUserCostsABcryptCheckLikeAKnownOne() {
    authenticator.authenticate("nobody", "whatever");

    assertThat(authenticator.bcryptVerifications()).isEqualTo(1);
  }

  @Test
  void passwordsLongerThanBcryptAcceptsAreRefused() {
    assertThat(authenticator.authenticate("max", "max-demo" + "x".repeat(100))).isEmpty();
  }

  @Test
  void repeatedSuccessIsServedFromTheCache() {
    authenticator.authenticate("max", "max-demo");
    authenticator.authenticate("max", "max-demo");
    authenticator.authenticateBasic(basic("max", "max-demo"));

    assertThat(authenticator.bcryptVerifications()).isEqualTo(1);
  }

  @Test
  void failuresAreNotCachedAndDoNotHitTheCachedSuccess() {
    authenticator.authenticate("max", "max-demo");

    assertThat(authenticator.authenticate("max", "wrong")).isEmpty();
    assertThat(authenticator.authenticate("max", "wrong")).isEmpty();
    assertThat(authenticator.bcryptVerifications()).isEqualTo(3);
  }

  @Test
  void cachedSuccessExpiresAfterItsTimeToLive() {
    authenticator.authenticate("max", "max-demo");
    nanos.addAndGet(Duration.ofMinutes(5).toNanos());

    assertThat(authenticator.authenticate("max", "max-demo")).isPresent();
    assertThat(authenticator.bcryptVerifications()).isEqualTo(2);
  }

  @Test
  void cacheIsBounded() {
    VerifiedCredentialCache cache = new VerifiedCredentialCache(Duration.ofMinutes(1), 2, nanos::get);
    cache.add(new VerifiedCredentialCache.Key("a", "1"));
    cache.add(new VerifiedCredentialCache.Key("b", "2"));
    cache.add(new VerifiedCredentialCache.Key("c", "3"));

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.contains(new VerifiedCredentialCache.Key("a", "1"))).isFalse();
    assertThat(cache.contains(new VerifiedCredentialCache.Key("c", "3"))).isTrue();
  }

  @Test
  void basicHeaderIsDecoded() {
    assertThat(authenticator.authenticateBasic(basic("mia", "mia-secret")).user()).isEqualTo("mia");
    // The scheme is case-insensitive, and passwords may contain colons.
    Authenticator colons =
        new Authenticator(
            List.of(new UserAccount("u", new UserAccount.PlainSecret("a:b"), Set.of(), Map.of())));
    assertThat(colons.authenticateBasic("basic " + encode("u:a:b")).user()).isEqualTo("u");
  }

  @Test
  void unknownUserAndWrongPasswordFailWithTheSameMessage() {
    GatewayException unknownUser = basicFailure(basic("nobody", "max-demo"));
    GatewayException wrongPassword = basicFailure(basic("max", "wrong"));

    assertThat(unknownUser.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
    assertThat(wrongPassword.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
    assertThat(unknownUser.getMessage()).isEqualTo(wrongPassword.getMessage());
    assertThat(wrongPassword.getMessage()).doesNotContain("max", "wrong");
  }

  @Test
  void malformedBasicHeadersFail() {
    for (String header : List.of("", "Basic", "Basic !!!", "Bearer " + encode("max:max-demo"), "Basic " + encode("max"))) {
      assertThat(basicFailure(header).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
    }
  }

  @Test
  void duplicateUsersAreRefused() {
    UserAccount account = new UserAccount("u", new UserAccount.PlainSecret("p"), Set.of(), Map.of());

    assertThatThrownBy(() -> new Authenticator(List.of(account, account)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("u");
  }

  private GatewayException basicFailure(String header) {
    try {
      authenticator.authenticateBasic(header);
    } catch (GatewayException e) {
      return e;
    }
    throw new AssertionError("Authentication succeeded for " + header);
  }

  private static String basic(String user, String password) {
    return "Basic " + encode(user + ":" + password);
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(UTF_8));
  }
}
