package dev.sluice.dialects.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedshiftConnectionSettingsTest {
  @Test
  void passwordSettingsBuildAPlainUrlWithVerifiedSsl() {
    RedshiftConnectionSettings settings =
        RedshiftConnectionSettings.withPassword(
            "cluster.abc.eu-west-1.redshift.amazonaws.com", 5439, "dev", "sluice", "s3cret", "verify-full", 8);

    assertThat(settings.jdbcUrl())
        .isEqualTo("jdbc:redshift://cluster.abc.eu-west-1.redshift.amazonaws.com:5439/dev");
    assertThat(settings.driverProperties())
        .containsEntry("user", "sluice")
        .containsEntry("password", "s3cret")
        .containsEntry("ssl", "true")
        .containsEntry("sslmode", "verify-full")
        .containsEntry("ApplicationName", "sluice")
        .containsEntry("readOnlyMode", "transaction")
        .doesNotContainKey("Profile");
    assertThat(settings.toString()).doesNotContain("s3cret");
  }

  @Test
  void iamProfileSettingsUseTheIamUrl() {
    RedshiftConnectionSettings settings =
        RedshiftConnectionSettings.withIamProfile("wg.123.eu-west-1.redshift-serverless.amazonaws.com", 5439,
            "dev", "analyst", "cdp-readonly", "verify-full", 4);

    assertThat(settings.jdbcUrl())
        .isEqualTo("jdbc:redshift:iam://wg.123.eu-west-1.redshift-serverless.amazonaws.com:5439/dev");
    assertThat(settings.driverProperties())
        .containsEntry("Profile", "cdp-readonly")
        .containsEntry("DbUser", "analyst")
        .doesNotContainKey("password");
  }

  @Test
  void disabledSslTurnsSslOff() {
    assertThat(
            RedshiftConnectionSettings.withPassword("h", 5439, "d", "u", "p", "disable", 1).driverProperties())
        .containsEntry("ssl", "false")
        .doesNotContainKey("sslmode");
  }

  @Test
  void requiresExactlyOneOfPasswordAndIamProfile() {
    assertThatThrownBy(
            () -> new RedshiftConnectionSettings(
                "h", 5439, "d", "u", Optional.of("p"), Optional.of("profile"), "verify-full", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one");
    assertThatThrownBy(
            () -> new RedshiftConnectionSettings(
                "h", 5439, "d", "u", Optional.empty(), Optional.empty(), "verify-full", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
