package dev.sluice.gateway.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.policies.Principal;
import dev.sluice.policies.UserAccount;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestAuthenticatorTest {
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());
  private static final InetAddress HOME = InetAddress.getLoopbackAddress();

  private final AtomicLong nanos = new AtomicLong(1);
  private final Authenticator authenticator =
      new Authenticator(
          List.of(
              new UserAccount(
                  "max",
                  new UserAccount.BcryptHash(BCrypt.withDefaults().hashToString(4, "max-demo".toCharArray())),
                  MAX.roles(),
                  MAX.attributes())),
          Duration.ofMinutes(5),
          100,
          nanos::get);
  private final RequestAuthenticator requests =
      new RequestAuthenticator(
          authenticator,
          new TokenStore(Duration.ofHours(1), 100, nanos::get),
          new LoginThrottle(3, Duration.ofMinutes(5), Duration.ofMinutes(5), 100, nanos::get));

  @Test
  void basicAndBearerBothGiveThePrincipal() {
    assertThat(requests.authenticate(Optional.of(basic("max", "max-demo")), HOME)).isEqualTo(MAX);

    IssuedToken token = requests.issueToken(MAX);
    assertThat(requests.authenticate(Optional.of("Bearer " + token.token()), HOME)).isEqualTo(MAX);
    assertThat(requests.authenticate(Optional.of("bearer   " + token.token() + " "), HOME)).isEqualTo(MAX);
  }

  @Test
  void aMissingHeaderIsRefusedButNeverLocksOut() {
    for (int i = 0; i < 10; i++) {
      GatewayException e = failure(Optional.empty());
      assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
      assertThat(e.retryAfter()).isEmpty();
    }
    assertThat(requests.authenticate(Optional.of(basic("max", "max-demo")), HOME)).isEqualTo(MAX);
  }

  @Test
  void afterTooManyFailuresEvenTheRightPasswordIsRefusedWithoutABcryptCheck() {
    for (int i = 0; i < 3; i++) {
      assertThat(failure(Optional.of(basic("max", "guess" + i))).retryAfter()).isEmpty();
    }
    long checks = authenticator.bcryptVerifications();

    GatewayException locked = failure(Optional.of(basic("max", "max-demo")));

    assertThat(locked.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
    assertThat(locked.retryAfter()).contains(Duration.ofMinutes(5));
    assertThat(locked.getMessage()).contains("too many failed attempts").contains("300 s");
    assertThat(authenticator.bcryptVerifications()).isEqualTo(checks);

    nanos.addAndGet(Duration.ofMinutes(5).toNanos());
    assertThat(requests.authenticate(Optional.of(basic("max", "max-demo")), HOME)).isEqualTo(MAX);
  }

  @Test
  void unknownUsersAreLockedOutLikeKnownOnes() {
    RequestAuthenticator perUser =
        new RequestAuthenticator(
            authenticator,
            new TokenStore(Duration.ofHours(1), 100, nanos::get),
            new LoginThrottle(2, Duration.ofMinutes(5), Duration.ofMinutes(5), 100, nanos::get));
    InetAddress[] addresses = {address(1), address(2), address(3)};
    for (String user : List.of("max", "mallory")) {
      catchThrowableOfType(() -> perUser.authenticate(Optional.of(basic(user, "x")), addresses[0]), GatewayException.class);
      catchThrowableOfType(() -> perUser.authenticate(Optional.of(basic(user, "y")), addresses[1]), GatewayException.class);
    }
    GatewayException known =
        catchThrowableOfType(() -> perUser.authenticate(Optional.of(basic("max", "z")), addresses[2]), GatewayException.class);
    GatewayException unknown =
        catchThrowableOfType(() -> perUser.authenticate(Optional.of(basic("mallory", "z")), addresses[2]), GatewayException.class);

    assertThat(known.retryAfter()).isPresent();
    assertThat(unknown.getMessage()).isEqualTo(known.getMessage());
    assertThat(unknown.retryAfter()).isEqualTo(known.retryAfter());
  }

  @Test
  void badTokensCountAgainstTheAddress() {
    for (int i = 0; i < 3; i++) {
      assertThat(failure(Optional.of("Bearer " + "A".repeat(43))).getMessage())
          .isEqualTo(RequestAuthenticator.TOKEN_FAILED_MESSAGE);
    }
    assertThat(failure(Optional.of(basic("max", "max-demo"))).retryAfter()).isPresent();
  }

  @Test
  void aTokenCannotMintTokensAndOnlyABearerHeaderRevokes() {
    IssuedToken token = requests.issueToken(MAX);

    GatewayException minted =
        catchThrowableOfType(
            () -> requests.authenticatePassword(Optional.of("Bearer " + token.token()), HOME), GatewayException.class);
    assertThat(minted.getMessage()).isEqualTo(RequestAuthenticator.SCHEME_FAILED_MESSAGE);

    assertThat(requests.revokeToken(Optional.of("Bearer " + token.token()), HOME)).isEqualTo(MAX);
    assertThat(failure(Optional.of("Bearer " + token.token())).getMessage())
        .isEqualTo(RequestAuthenticator.TOKEN_FAILED_MESSAGE);
  }

  @Test
  void messagesNeverEchoCredentials() {
    IssuedToken token = requests.issueToken(MAX);
    String revoked = "Bearer " + token.token();
    requests.revokeToken(Optional.of(revoked), HOME);
    List<String> headers =
        List.of(basic("max", "s3cret-Pa55"), "Basic bm90LWJhc2U2NCE=!!", revoked, "Digest username=\"max\"");
    for (String header : headers) {
      GatewayException e = failure(Optional.of(header));
      assertThat(e.getMessage())
          .doesNotContain("s3cret-Pa55", token.token(), header, "max")
          .doesNotContainIgnoringCase("digest");
    }
  }

  private GatewayException failure(Optional<String> authorization) {
    return catchThrowableOfType(() -> requests.authenticate(authorization, HOME), GatewayException.class);
  }

  private static InetAddress address(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
  }
}
