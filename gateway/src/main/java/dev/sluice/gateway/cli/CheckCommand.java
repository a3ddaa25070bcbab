package dev.sluice.gateway.cli;

import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.tooling.CheckReport;
import dev.sluice.gateway.tooling.ConnectionCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Tests the connection to one configured warehouse and explains what to fix when it fails. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Connect to a warehouse, run SELECT 1 and read the tables the virtual schema maps onto it.")
public final class CheckCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Gateway configuration (YAML).")
  Path config;

  @Option(names = "--warehouse", required = true, paramLabel = "NAME", description = "The warehouse to check.")
  String warehouse;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description = "Give up after this long (default: ${DEFAULT-VALUE} s).")
  int timeoutSeconds;

  @Override
  public Integer call() {
    GatewayConfig gatewayConfig;
    try {
      gatewayConfig = ConfigLoader.load(config, VariableResolver.environment());
    } catch (GatewayException e) {
      System.err.println(e.getMessage());
      return 1;
    }
    CheckReport report =
        new ConnectionCheck(gatewayConfig, Duration.ofSeconds(Math.max(1, timeoutSeconds))).check(warehouse);
    (report.ok() ? System.out : System.err).println(report.text());
    return report.ok() ? 0 : 1;
  }
}
