package dev.sluice.gateway.cli;

import java.io.Console;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sqlline.SqlLine;

/** Opens SQLLine connected to a running gateway through the stock Avatica driver. */
@Command(
    name = "shell",
    mixinStandardHelpOptions = true,
    description = "Open an interactive SQL shell (SQLLine) on a running gateway.")
public final class ShellCommand implements Callable<Integer> {
  private static final String DUMB_TERMINAL = "org.jline.terminal.dumb";

  @Option(names = {"-u", "--user"}, required = true, description = "User to connect as.")
  String user;

  @Option(
      names = {"-p", "--password"},
      description = "Password (default: the SLUICE_PASSWORD environment variable, else <user>-demo for the demo, else asked).")
  String password;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Gateway host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8765", description = "Gateway HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--purpose",
      description = "The purpose of use to declare (the JDBC connection property purpose), e.g. paid_media.")
  String purpose;

  @Option(names = {"-e", "--execute"}, description = "Run this SQL and exit instead of opening the shell.")
  String execute;

  @Override
  public Integer call() throws Exception {
    String secret = resolvePassword();
    if (purpose != null) {
      System.setProperty(ShellDriver.PROPERTY + "purpose", purpose);
    }
    String url =
        ShellDriver.PREFIX + "avatica:remote:url=http://" + host + ":" + port
            + ";serialization=protobuf;authentication=BASIC"
            // Avatica takes BASIC credentials only from these URL properties, not from user/password.
            + ";avatica_user=" + user + ";avatica_password=" + secret;
    List<String> args = new ArrayList<>(List.of(
        "-d", ShellDriver.class.getName(),
        "-u", url, "-n", user, "-p", secret,
        "--connectInteractionMode=notAskCredentials",
        "--isolation=TRANSACTION_NONE"));
    if (execute != null || System.console() == null) {
      // Without a terminal SQLLine assumes zero width and prints empty columns.
      args.add("--maxWidth=1000");
    }
    if (System.console() == null && System.getProperty(DUMB_TERMINAL) == null) {
      // Otherwise JLine first tries a system terminal and warns on standard error that it could not.
      System.setProperty(DUMB_TERMINAL, "true");
    }
    if (execute != null) {
      args.add("-e");
      args.add(execute);
    }
    SqlLine.Status status = SqlLine.start(args.toArray(String[]::new), null, true);
    return status == SqlLine.Status.OK ? 0 : 1;
  }

  private String resolvePassword() {
    if (password != null) {
      return password;
    }
    String fromEnv = System.getenv("SLUICE_PASSWORD");
    if (fromEnv != null) {
      return fromEnv;
    }
    Console console = System.console();
    if (console != null && !List.of("admin", "max", "mia", "ana", "act", "sam").contains(user)) {
      return new String(console.readPassword("Password for %s: ", user));
    }
    return user + "-demo";
  }
}
