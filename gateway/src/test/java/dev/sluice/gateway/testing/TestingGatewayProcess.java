package dev.sluice.gateway.testing;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * The gateway in its own JVM ({@code sluice serve --config FILE}), for what cannot be seen from
 * inside the test's JVM: a small heap limit, a crash. Started with the test's own classpath;
 * output goes to a log file that failures quote.
 */
public final class TestingGatewayProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final Path log;

  private TestingGatewayProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code sluice serve --config configFile} with {@code jvmOptions} (e.g. {@code -Xmx256m})
   * and waits until every port in {@code ports} accepts connections.
   */
  public static TestingGatewayProcess start(
      Path configFile, List<String> jvmOptions, Map<String, String> environment, List<Integer> ports)
      throws IOException, InterruptedException {
    requireNonNull(configFile, "configFile is null");
    Path log = configFile.resolveSibling(configFile.getFileName() + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("-Duser.timezone=UTC");
    command.add("-cp");
    command.add(classpath());
    command.add("dev.sluice.gateway.cli.SluiceCommand");
    command.add("serve");
    command.add("--config");
    command.add(configFile.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    TestingGatewayProcess started = new TestingGatewayProcess(builder.start(), log);
    try {
      started.awaitPorts(ports);
    } catch (IOException | RuntimeException | InterruptedException e) {
      started.close();
      throw e;
    }
    return started;
  }

  /**
   * The test JVM's classpath. Surefire usually starts tests from a manifest-only jar whose
   * Class-Path attribute lists the real entries; the child gets those.
   */
  public static String classpath() throws IOException {
    String classpath = System.getProperty("java.class.path");
    String[] entries = classpath.split(File.pathSeparator);
    if (entries.length != 1 || !entries[0].endsWith(".jar")) {
      return classpath;
    }
    try (JarFile jar = new JarFile(entries[0])) {
      String manifestPath = jar.getManifest() == null ? null
          : jar.getManifest().getMainAttributes().getValue("Class-Path");
      if (manifestPath == null || manifestPath.isBlank()) {
        return classpath;
      }
      Path base = Path.of(entries[0]).toAbsolutePath().getParent();
      List<String> expanded = new ArrayList<>();
      for (String entry : manifestPath.trim().split("\\s+")) {
        URI uri = base.toUri().resolve(entry);
        expanded.add(Path.of(uri).toString());
      }
      return String.join(File.pathSeparator, expanded);
    }
  }

  /** A port that was free a moment ago, for a child process's configuration. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitPorts(List<Integer> ports) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    for (int port : ports) {
      while (!accepts(port)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "The gateway process exited with " + process.exitValue() + " before serving:\n" + logTail());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("The gateway process did not open port " + port
              + " within " + START_TIMEOUT.toSeconds() + " s:\n" + logTail());
        }
        Thread.sleep(100);
      }
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public Process process() {
    return process;
  }

  /** The last lines the process printed. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
