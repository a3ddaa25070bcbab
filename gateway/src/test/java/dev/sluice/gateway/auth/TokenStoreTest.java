package dev.sluice.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.policies.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenStoreTest {
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());
  private static final Principal MIA = new Principal("mia", Set.of("marketer"), Map.of("region", "EU"));

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final TokenStore tokens = new TokenStore(Duration.ofHours(1), 3, nanos::get);

  @Test
  void tokensAre32RandomBytesInBase64UrlAndMapToTheirPrincipal() {
    IssuedToken max = tokens.issue(MAX);
    IssuedToken mia = tokens.issue(MIA);

    assertThat(max.token()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(mia.token());
    assertThat(max.expiresIn()).isEqualTo(Duration.ofHours(1));
    assertThat(tokens.principal(max.token())).contains(MAX);
    assertThat(tokens.principal(mia.token())).contains(MIA);
    assertThat(max.toString()).doesNotContain(max.token());
  }

  @Test
  void unknownAndMalformedTokensMapToNothing() {
    tokens.issue(MAX);

    assertThat(tokens.principal("A".repeat(43))).isEmpty();
    assertThat(tokens.principal("not a token")).isEmpty();
    assertThat(tokens.principal("")).isEmpty();
  }

  @Test
  void tokensExpireAfterTheirLifetime() {
    IssuedToken token = tokens.issue(MAX);

    nanos.addAndGet(Duration.ofMinutes(59).toNanos());
    assertThat(tokens.principal(token.token())).contains(MAX);
    nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(tokens.principal(token.token())).isEmpty();
    assertThat(tokens.size()).isZero();
  }

  @Test
  void revokedTokensMapToNothing() {
    IssuedToken token = tokens.issue(MAX);

    assertThat(tokens.revoke(token.token())).isTrue();
    assertThat(tokens.principal(token.token())).isEmpty();
    assertThat(tokens.revoke(token.token())).isFalse();
  }

  @Test
  void aFullStoreRefusesNewTokensUntilOldOnesExpire() {
    IssuedToken first = tokens.issue(MAX);
    tokens.issue(MAX);
    tokens.issue(MIA);

    assertThatThrownBy(() -> tokens.issue(MIA))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
    assertThat(tokens.principal(first.token())).contains(MAX);

    nanos.addAndGet(Duration.ofHours(1).toNanos());
    IssuedToken fresh = tokens.issue(MIA);
    assertThat(tokens.principal(fresh.token())).contains(MIA);
    assertThat(tokens.size()).isEqualTo(1);
  }
}
