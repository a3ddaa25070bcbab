package dev.sluice.gateway;

/** How a failure reads in a log line or a client message. */
public final class Failures {
  private Failures() {}

  /** Its message, or its class's simple name when it has none (a closed channel's, say). */
  public static String message(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  /** The first line of the message of its root cause (see {@link #message}). */
  public static String rootLine(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = message(root);
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
