package dev.sluice.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice audit}: check, follow and search an audit log directory. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Check, follow and search the audit log.",
    subcommands = {AuditVerifyCommand.class, AuditTailCommand.class, AuditSearchCommand.class})
public final class AuditCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
