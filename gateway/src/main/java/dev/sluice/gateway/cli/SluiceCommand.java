package dev.sluice.gateway.cli;

import java.util.TimeZone;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} command line: {@code serve} runs the gateway, {@code shell} opens SQLLine on it,
 * {@code check} and {@code discover} help connect a warehouse, {@code audit} checks and searches
 * the audit log.
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    version = "Sluice 0.1.0",
    description = "A governed, federated SQL gateway for composable customer data platforms.",
    subcommands = {
      ServeCommand.class,
      ShellCommand.class,
      CheckCommand.class,
      DiscoverCommand.class,
      AuditCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SluiceCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Warehouse TIMESTAMPs carry no zone; a UTC JVM keeps Calcite's and the drivers' conversions exact.
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    dev.sluice.gateway.engine.CalciteSettings.apply();
    int exitCode = new CommandLine(new SluiceCommand()).execute(args);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
