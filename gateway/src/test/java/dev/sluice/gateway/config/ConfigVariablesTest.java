package dev.sluice.gateway.config;

import static dev.sluice.gateway.config.ConfigLoaderTest.MINIMAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.policies.UserAccount.PlainSecret;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigVariablesTest {

  @Test
  void substitutesVariablesInsideStrings() {
    GatewayConfig config = parse(
        MINIMAL.replace("path: /data/dw.duckdb", "path: ${DATA}/${NAME}.duckdb"),
        Map.of("DATA", "/srv/sluice", "NAME", "warehouse"));

    assertThat(config.warehouse("dw").orElseThrow().setting("path")).contains("/srv/sluice/warehouse.duckdb");
  }

  @Test
  void reportsEveryUnsetVariableWithItsPath() {
    String yaml = "listeners: { http: { host: \"${HOST}\", port: \"${PORT}\" } }\n"
        + MINIMAL.replace("path: /data/dw.duckdb", "path: ${DATA}/${NAME}.duckdb");

    assertThatThrownBy(() -> parse(yaml, Map.of("NAME", "dw"))).hasMessage("""
        Invalid configuration test.yaml:
          - listeners.http.host: environment variable HOST is not set
          - listeners.http.port: environment variable PORT is not set
          - warehouses.dw.duckdb.path: environment variable DATA is not set""");
  }

  @Test
  void numbersAndBooleansMayComeFromVariables() {
    GatewayConfig config = parse(
        "listeners: { http: { port: \"${PORT}\" } }\n"
            + MINIMAL.replace("path: /data/dw.duckdb", "{ path: x, read_only: \"${RO}\" }"),
        Map.of("PORT", "9000", "RO", "false"));

    assertThat(config.listeners().http().port()).isEqualTo(9000);
    assertThat(config.warehouse("dw").orElseThrow().setting("read_only")).contains("false");
    assertThatThrownBy(() -> parse("listeners: { http: { port: \"${PORT}\" } }\n" + MINIMAL, Map.of("PORT", "http")))
        .hasMessageContaining("  - listeners.http.port: expected an integer, got 'http'");
  }

  @Test
  void doubleDollarIsALiteral() {
    GatewayConfig config = parse(
        MINIMAL.replace("path: /data/dw.duckdb", "path: \"/data/$${HOME}/$$5/$x/${X}\""), Map.of("X", "y"));

    assertThat(config.warehouse("dw").orElseThrow().setting("path")).contains("/data/${HOME}/$$5/$x/y");
  }

  @Test
  void valuesAreNotSubstitutedAgain() {
    GatewayConfig config = parse(
        MINIMAL.replace("path: /data/dw.duckdb", "path: ${X}"), Map.of("X", "${Y}", "Y", "no"));

    assertThat(config.warehouse("dw").orElseThrow().setting("path")).contains("${Y}");
  }

  @Test
  void reportsMalformedReferences() {
    String yaml = MINIMAL.replace("path: /data/dw.duckdb", "path: \"${DATA\"")
        .replace("source: dw.retail.skus", "source: \"${1X}.retail.skus\"");

    assertThatThrownBy(() -> parse(yaml, Map.of())).hasMessage("""
        Invalid configuration test.yaml:
          - warehouses.dw.duckdb.path: unterminated ${ (write $${ for a literal ${)
          - schema.tables.products.source: invalid variable name '1X' in ${...}""");
  }

  @Test
  void passwordEnvReadsTheSecretThroughTheResolver() {
    String yaml = MINIMAL.replace("password_hash: \"" + ConfigLoaderTest.HASH + "\"", "password_env: ADMIN_PASSWORD");

    assertThat(parse(yaml, Map.of("ADMIN_PASSWORD", "s3cret")).user("admin").orElseThrow().credential())
        .isEqualTo(new PlainSecret("s3cret"));
    assertThatThrownBy(() -> parse(yaml, Map.of())).hasMessage("""
        Invalid configuration test.yaml:
          - users.admin.password_env: environment variable ADMIN_PASSWORD is not set""");
    assertThatThrownBy(() -> parse(yaml, Map.of("ADMIN_PASSWORD", ""))).hasMessage("""
        Invalid configuration test.yaml:
          - users.admin.password_env: environment variable ADMIN_PASSWORD is empty""");
  }

  @Test
  void secretsDoNotAppearInErrors() {
    String yaml = MINIMAL.replace(ConfigLoaderTest.HASH, "hunter2");

    assertThatThrownBy(() -> parse(yaml, Map.of())).message().doesNotContain("hunter2");
  }

  @Test
  void resolversCompose() {
    VariableResolver resolver = VariableResolver.of(Map.of("A", "first"))
        .orElse(VariableResolver.of(Map.of("A", "second", "B", "second")))
        .withDefaults(Map.of("B", "default", "C", "default"));

    assertThat(resolver.resolve("A")).contains("first");
    assertThat(resolver.resolve("B")).contains("second");
    assertThat(resolver.resolve("C")).contains("default");
    assertThat(resolver.resolve("D")).isEmpty();
    assertThat(VariableResolver.none().resolve("A")).isEmpty();
  }

  @Test
  void environmentResolverReadsTheProcessEnvironment() {
    String name = System.getenv().keySet().iterator().next();

    assertThat(VariableResolver.environment().resolve(name)).contains(System.getenv(name));
    assertThat(VariableResolver.environment().resolve("SLUICE_SURELY_UNSET_VARIABLE")).isEmpty();
  }

  private static GatewayConfig parse(String yaml, Map<String, String> variables) {
    return ConfigLoader.parse(yaml, "test.yaml", VariableResolver.of(variables));
  }
}
