package dev.sluice.bench;

import java.util.Arrays;
import java.util.List;

/** The end-to-end harness's command-line options. */
record Options(
    long customers,
    int iterations,
    int seconds,
    List<Integer> concurrency,
    List<String> systems,
    String output,
    boolean auditFsync) {
  static Options parse(String[] args) {
    long customers = 100_000;
    int iterations = 2_000;
    int seconds = 10;
    List<Integer> concurrency = List.of(1, 8, 32);
    List<String> systems = List.of();
    String output = "bench/target/end-to-end.json";
    boolean auditFsync = true;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + args[i] + " needs a value");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--customers" -> customers = Long.parseLong(value);
        case "--iterations" -> iterations = Integer.parseInt(value);
        case "--seconds" -> seconds = Integer.parseInt(value);
        case "--concurrency" -> concurrency = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
        case "--systems" -> systems = List.of(value.split(","));
        case "--output" -> output = value;
        case "--audit-fsync" -> auditFsync = parseBoolean(args[i], value);
        default -> throw new IllegalArgumentException("Unknown option " + args[i]
            + "; options: --customers N --iterations N --seconds N --concurrency 1,8,32"
            + " --systems a,b,c,d,e --output FILE --audit-fsync true|false");
      }
    }
    return new Options(customers, iterations, seconds, concurrency, systems, output, auditFsync);
  }

  private static boolean parseBoolean(String option, String value) {
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException("Option " + option + " takes true or false, not " + value);
    }
    return Boolean.parseBoolean(value);
  }

  /** Whether the system named like {@code "c gateway-avatica"} is selected by its letter. */
  boolean selected(String name) {
    return systems.isEmpty() || systems.contains(name.substring(0, 1));
  }
}
