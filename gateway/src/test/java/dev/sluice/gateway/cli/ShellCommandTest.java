package dev.sluice.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice shell -e} in a child JVM (SQLLine takes over the terminal) against the in-JVM demo
 * gateway, with and without a declared purpose.
 */
class ShellCommandTest {
  private final GatewayServer server = TestingGateway.shared();

  @Test
  void declaresThePurposeGivenWithPurpose() throws Exception {
    long adsOptIn = ((Number) TestingGateway.rows(server, "protobuf", "admin",
        "SELECT COUNT(*) FROM cdp.customers WHERE ads_opt_in").get(0).get(0)).longValue();

    String declared = run("shell", "--user", "act", "--purpose", "paid_media",
        "--port", String.valueOf(server.httpPort()), "-e", "SELECT COUNT(*) AS n FROM cdp.customers");
    assertThat(declared).contains(String.valueOf(adsOptIn));

    String missing = run("shell", "--user", "act",
        "--port", String.valueOf(server.httpPort()), "-e", "SELECT COUNT(*) AS n FROM cdp.customers");
    assertThat(missing).contains("must declare a purpose").doesNotContain(String.valueOf(adsOptIn));
    // The message and its SQLSTATE, without the client's stack trace or a terminal warning.
    assertThat(missing).contains("state=42501").doesNotContain("\tat ").doesNotContain("WARNING");
  }

  @Test
  void aRefusedMetadataCallShowsTheGatewaysMessage() throws Exception {
    // SQLLine's !tables calls DatabaseMetaData.getTables, which the stock driver fails unchecked.
    String tables = run("shell", "--user", "act", "--port", String.valueOf(server.httpPort()), "-e", "!tables");
    assertThat(tables).contains("User act must declare a purpose").doesNotContain("UndeclaredThrowableException")
        .contains("state=42501").doesNotContain("\tat ");
  }

  @Test
  void aSyntaxErrorIsOneLineWithItsSqlState() throws Exception {
    String output = run("shell", "--user", "admin", "--port", String.valueOf(server.httpPort()), "-e", "SELEC 1");
    assertThat(output).contains("Syntax error").contains("state=42601").doesNotContain("\tat ");
  }

  private static String run(String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-cp", dev.sluice.gateway.testing.TestingGatewayProcess.classpath(),
        SluiceCommand.class.getName()));
    command.addAll(java.util.List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return output;
  }
}
