package dev.sluice.gateway.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol with the JDK's own HTTP and
 * WebSocket clients: one page, navigated and scripted with {@code Runtime.evaluate}. No driver
 * binary or extra dependency; Debian's {@code chromium} is installed with apt-get when missing.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path userDataDirectory;
  private final WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, Path userDataDirectory, WebSocket.Builder builder, URI page)
      throws Exception {
    this.process = process;
    this.userDataDirectory = userDataDirectory;
    this.socket = builder.buildAsync(page, new Listener()).get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * The Chromium binary, installing Debian's package first when it is missing (tests run as root
   * with the Debian archive reachable); empty with the reason when that is impossible.
   */
  public static synchronized Optional<String> unavailableReason() {
    if (Files.isExecutable(BINARY)) {
      return Optional.empty();
    }
    try {
      String update = run(List.of("apt-get", "update"));
      String install = run(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium"));
      if (Files.isExecutable(BINARY)) {
        return Optional.empty();
      }
      return Optional.of("apt-get could not install chromium:\n" + update + "\n" + install);
    } catch (IOException e) {
      return Optional.of("Cannot run apt-get to install chromium: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("Interrupted while installing chromium");
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process process = builder.start();
    // Read while it runs: a full pipe would block apt-get.
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      return String.join(" ", command) + ": timed out\n" + output;
    }
    return String.join(" ", command) + ": exit " + process.exitValue() + "\n" + tail(output);
  }

  private static String tail(String output) {
    return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
  }

  /** Starts a browser with a fresh profile, listening for DevTools on a free port of 127.0.0.1. */
  public static HeadlessChromium start() throws Exception {
    Path profile = Files.createTempDirectory("sluice-chromium-");
    Path log = profile.resolveSibling(profile.getFileName() + ".log");
    Process process = new ProcessBuilder(
            BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            "--user-data-dir=" + profile, "about:blank")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      int port = devToolsPort(profile, process, log);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> targets = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString());
      URI page = null;
      for (JsonNode target : JSON.readTree(targets.body())) {
        if (target.path("type").asText().equals("page")) {
          page = URI.create(target.path("webSocketDebuggerUrl").asText());
          break;
        }
      }
      if (page == null) {
        throw new IllegalStateException("Chromium has no page to drive: " + targets.body());
      }
      return new HeadlessChromium(process, profile, http.newWebSocketBuilder(), page);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  // Chromium writes the port it bound to this file once DevTools listens.
  private static int devToolsPort(Path profile, Process process, Path log) throws Exception {
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(portFile)) {
        List<String> lines = Files.readAllLines(portFile);
        if (!lines.isEmpty() && !lines.get(0).isBlank()) {
          return Integer.parseInt(lines.get(0).trim());
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("Chromium exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("Chromium did not open DevTools within " + START_TIMEOUT + ": " + Files.readString(log));
  }

  /** Opens {@code url} and waits until the document and its deferred scripts have loaded. */
  public void navigate(String url) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("url", url);
    call("Page.navigate", params);
    waitFor("document.readyState === 'complete' && location.href === " + JSON.writeValueAsString(url), CALL_TIMEOUT);
  }

  /** The value of a JavaScript expression in the page (promises awaited), as JSON. */
  public JsonNode evaluate(String expression) throws Exception {
    ObjectNode params = JSON.createObjectNode()
        .put("expression", expression)
        .put("returnByValue", true)
        .put("awaitPromise", true);
    JsonNode result = call("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("The page threw: " + result.path("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Waits until {@code condition} is true in the page; fails with the page's text when it never is. */
  public void waitFor(String condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!evaluate("Boolean(" + condition + ")").asBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + condition + "; the page shows:\n"
            + evaluate("document.body ? document.body.innerText : ''").asText());
      }
      Thread.sleep(50);
    }
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket.sendText(JSON.writeValueAsString(message), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IllegalStateException(method + " failed: " + reply.path("error"));
    }
    return reply.path("result");
  }

  /** Collects messages (which may arrive in parts) and hands each answer to the call awaiting it. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        try {
          JsonNode received = JSON.readTree(message.toString());
          CompletableFuture<JsonNode> waiting = received.has("id") ? pending.remove(received.path("id").asLong()) : null;
          if (waiting != null) {
            waiting.complete(received);
          }
        } catch (IOException e) {
          pending.values().forEach(waiting -> waiting.completeExceptionally(e));
        }
        message.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(waiting -> waiting.completeExceptionally(error));
    }
  }

  @Override
  public void close() throws Exception {
    socket.abort();
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(userDataDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
