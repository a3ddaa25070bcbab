package dev.sluice.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import dev.sluice.gateway.audit.AuditTail;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice audit tail [-f] DIR}: the latest records, and with {@code -f} those that follow. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = "Print the last records of the audit log; with -f, keep printing new ones.")
public final class AuditTailCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The audit directory (audit.directory).")
  Path directory;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
      description = "How many records to print first (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = {"-f", "--follow"}, description = "Keep printing records as they are written (Ctrl-C stops).")
  boolean follow;

  @Option(names = "--json", description = "Print each record as the JSON line it is.")
  boolean json;

  @Option(names = "--poll-interval", paramLabel = "MS", defaultValue = "500", hidden = true)
  long pollMillis;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    AuditTail tail = new AuditTail(directory);
    try {
      tail.last(count).forEach(line -> print(out, line));
      out.flush();
      while (follow) {
        Thread.sleep(pollMillis);
        tail.next().forEach(line -> print(out, line));
        out.flush();
      }
    } catch (InterruptedException e) {
      // Stopped while following: that is how -f ends.
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      spec.commandLine().getErr().println("Cannot read the audit log in " + directory + ": " + e.getMessage());
      return 2;
    }
    return 0;
  }

  private void print(PrintWriter out, String line) {
    out.println(json ? line : AuditRecordFormat.line(line));
  }
}
