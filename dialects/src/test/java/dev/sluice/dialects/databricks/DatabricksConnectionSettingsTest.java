package dev.sluice.dialects.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.dialects.databricks.DatabricksAuthentication.OAuthMachineToMachine;
import dev.sluice.dialects.databricks.DatabricksAuthentication.PersonalAccessToken;
import com.databricks.jdbc.api.impl.DatabricksConnectionContext;
import com.databricks.jdbc.api.internal.IDatabricksConnectionContext;
import com.databricks.jdbc.common.AuthFlow;
import com.databricks.jdbc.common.AuthMech;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabricksConnectionSettingsTest {
  private static final String HOST = "dbc-a1b2c3d4-e5f6.cloud.databricks.com";
  private static final String PATH = "/sql/1.0/warehouses/1234567890abcdef";
  private static final String TOKEN = "dapi0123456789abcdef0123456789abcdef";
  private static final String SECRET = "dose0123456789abcdefSECRET";

  @Test
  void personalAccessTokenGivesTheDocumentedUrlWithTheTokenInProperties() {
    DatabricksConnectionSettings settings =
        new DatabricksConnectionSettings(
            HOST, PATH, new PersonalAccessToken(TOKEN), Optional.of("main"), Optional.of("cdp"), 4);

    assertThat(settings.jdbcUrl())
        .isEqualTo(
            "jdbc:databricks://" + HOST + ":443/default;transportMode=http;ssl=1;httpPath=" + PATH
                + ";AuthMech=3;ConnCatalog=main;ConnSchema=cdp");
    assertThat(settings.driverProperties()).isEqualTo(Map.of("UID", "token", "PWD", TOKEN));
  }

  @Test
  void machineToMachineUsesTheClientCredentialsFlowWithTheSecretInProperties() {
    DatabricksConnectionSettings settings =
        new DatabricksConnectionSettings(
            HOST, 8443, PATH, new OAuthMachineToMachine("sp-client-id", SECRET),
            Optional.empty(), Optional.empty(), 2);

    assertThat(settings.jdbcUrl())
        .isEqualTo(
            "jdbc:databricks://" + HOST + ":8443/default;transportMode=http;ssl=1;httpPath=" + PATH
                + ";AuthMech=11;Auth_Flow=1;OAuth2ClientId=sp-client-id");
    assertThat(settings.driverProperties()).isEqualTo(Map.of("OAuth2Secret", SECRET));
  }

  @Test
  void secretsNeverAppearInTheUrlOrInToString() {
    DatabricksConnectionSettings withToken =
        new DatabricksConnectionSettings(
            HOST, PATH, new PersonalAccessToken(TOKEN), Optional.empty(), Optional.empty(), 1);
    DatabricksConnectionSettings withSecret =
        new DatabricksConnectionSettings(
            HOST, PATH, new OAuthMachineToMachine("sp-client-id", SECRET),
            Optional.empty(), Optional.empty(), 1);

    assertThat(withToken.jdbcUrl()).doesNotContain(TOKEN);
    assertThat(withToken.toString()).doesNotContain(TOKEN).contains(HOST, "token=***");
    assertThat(withSecret.jdbcUrl()).doesNotContain(SECRET);
    assertThat(withSecret.toString()).doesNotContain(SECRET).contains("sp-client-id", "clientSecret=***");
    assertThat(new DatabricksDataSource(withToken.jdbcUrl(), withToken.driverProperties()).toString())
        .doesNotContain(TOKEN);
  }

  @Test
  void valuesThatWouldAddUrlParametersAreRefused() {
    PersonalAccessToken token = new PersonalAccessToken(TOKEN);

    assertThatThrownBy(
            () -> new DatabricksConnectionSettings(
                HOST, PATH + ";AuthMech=0", token, Optional.empty(), Optional.empty(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("httpPath");
    assertThatThrownBy(
            () -> new DatabricksConnectionSettings(
                HOST, PATH, token, Optional.of("main;ssl=0"), Optional.empty(), 1))
        .hasMessageContaining("catalog");
    assertThatThrownBy(
            () -> new DatabricksConnectionSettings(
                "https://" + HOST, PATH, token, Optional.empty(), Optional.empty(), 1))
        .hasMessageContaining("serverHostname");
    assertThatThrownBy(
            () -> new DatabricksConnectionSettings(
                HOST, "sql/1.0/warehouses/x", token, Optional.empty(), Optional.empty(), 1))
        .hasMessageContaining("httpPath must start with '/'");
  }

  // The driver's own parser (an internal class of databricks-jdbc 3.x: if an upgrade moves it,
  // move this test with it) reads the URL and the properties the way the settings mean them.
  @Test
  void theDriverReadsThePersonalAccessTokenSettings() throws Exception {
    DatabricksConnectionSettings settings =
        new DatabricksConnectionSettings(
            HOST, PATH, new PersonalAccessToken(TOKEN), Optional.of("main"), Optional.of("cdp"), 1);

    IDatabricksConnectionContext context =
        DatabricksConnectionContext.parse(settings.jdbcUrl(), settings.driverProperties());

    assertThat(context.getHostUrl()).isEqualTo("https://" + HOST + ":443");
    assertThat(context.getHttpPath()).isEqualTo(PATH);
    assertThat(context.getAuthMech()).isEqualTo(AuthMech.PAT);
    assertThat(context.getToken()).isEqualTo(TOKEN);
    assertThat(context.getCatalog()).isEqualTo("main");
    assertThat(context.getSchema()).isEqualTo("cdp");
  }

  @Test
  void theDriverReadsTheMachineToMachineSettings() throws Exception {
    DatabricksConnectionSettings settings =
        new DatabricksConnectionSettings(
            HOST, PATH, new OAuthMachineToMachine("sp-client-id", SECRET),
            Optional.empty(), Optional.empty(), 1);

    IDatabricksConnectionContext context =
        DatabricksConnectionContext.parse(settings.jdbcUrl(), settings.driverProperties());

    assertThat(context.getAuthMech()).isEqualTo(AuthMech.OAUTH);
    assertThat(context.getAuthFlow()).isEqualTo(AuthFlow.CLIENT_CREDENTIALS);
    assertThat(context.getClientId()).isEqualTo("sp-client-id");
    assertThat(context.getClientSecret()).isEqualTo(SECRET);
  }

  @Test
  void theDriverAcceptsTheUrl() throws Exception {
    java.sql.Driver driver =
        (java.sql.Driver)
            Class.forName(DatabricksConnectionSettings.DRIVER_CLASS).getDeclaredConstructor().newInstance();
    DatabricksConnectionSettings settings =
        new DatabricksConnectionSettings(
            HOST, PATH, new PersonalAccessToken(TOKEN), Optional.of("main"), Optional.empty(), 1);

    assertThat(driver.acceptsURL(settings.jdbcUrl())).isTrue();
  }
}
