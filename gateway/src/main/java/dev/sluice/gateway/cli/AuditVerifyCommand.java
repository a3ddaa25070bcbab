package dev.sluice.gateway.cli;

import dev.sluice.gateway.audit.AuditVerifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice audit verify DIR}: checks the whole hash chain and reports the first break. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Check the audit log's hash chain across all its files and report the first broken record.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the chain is intact (a torn final line left by a crash is reported, not counted as tampering)",
      "1:the chain is broken: a record was edited, deleted or reordered, or a file truncated or missing",
      "2:the log cannot be checked (no such directory, unreadable file, HMAC key missing)"
    })
public final class AuditVerifyCommand implements Callable<Integer> {
  static final int INTACT = 0;
  static final int BROKEN = 1;
  static final int CANNOT_VERIFY = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The audit directory (audit.directory).")
  Path directory;

  @Option(
      names = "--hmac-key-env",
      paramLabel = "NAME",
      description = "Environment variable holding the HMAC key (audit.hmac_key_env) of a keyed log.")
  String hmacKeyEnv;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> key = Optional.empty();
    if (hmacKeyEnv != null) {
      key = Optional.ofNullable(System.getenv(hmacKeyEnv));
      if (key.isEmpty()) {
        err.println("environment variable " + hmacKeyEnv + " is not set");
        return CANNOT_VERIFY;
      }
    }
    AuditVerifier.Report report;
    try {
      report = new AuditVerifier(key).verify(directory);
    } catch (AuditVerifier.CannotVerify e) {
      err.println("Cannot verify the audit log: " + e.getMessage());
      return CANNOT_VERIFY;
    }
    out.printf("Checked %d records in %d file%s of %s (%s chain).%n",
        report.records(), report.files(), report.files() == 1 ? "" : "s", report.directory(), report.hash());
    report.tornFinalLine().ifPresent(torn -> out.printf(
        "Torn final line after crash: %s line %d (%d bytes without a newline) was being written when the"
            + " gateway stopped; it was never acknowledged, and is not tampering.%n",
        torn.file(), torn.line(), torn.bytes()));
    if (report.problem().isPresent()) {
      AuditVerifier.Problem problem = report.problem().get();
      out.printf("BROKEN at %s line %d (%s): %s%n",
          problem.file(), problem.line(), problem.kind().name().toLowerCase(Locale.ROOT), problem.message());
      return BROKEN;
    }
    out.println("The chain is intact.");
    if (report.headSeq().isPresent()) {
      out.printf("Head: seq %d, hash %s (keep it elsewhere to detect later removal of the newest records).%n",
          report.headSeq().get(), report.headHash().orElseThrow());
    }
    return INTACT;
  }
}
