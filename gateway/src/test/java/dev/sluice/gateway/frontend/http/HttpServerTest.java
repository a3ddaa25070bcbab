package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  private final CountDownLatch slowStarted = new CountDownLatch(1);
  private final CountDownLatch releaseSlow = new CountDownLatch(1);
  private final CountDownLatch scrapesStarted = new CountDownLatch(2);
  private final CountDownLatch releaseScrapes = new CountDownLatch(1);
  private HttpServer server;

  @AfterEach
  void closeServer() {
    releaseSlow.countDown();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void routeSeesTheRequestAndAnswers() throws Exception {
    start(HttpServerConfig.defaults("127.0.0.1", 0));

    HttpResponse<String> response =
        client.send(
            request("/echo?x=1").header("X-Test", "yes").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    assertThat(response.body()).isEqualTo("POST /echo x=[1] X-Test=yes from 127.0.0.1: hello\n");
  }

  @Test
  void unknownPathIs404() throws Exception {
    start(HttpServerConfig.defaults("127.0.0.1", 0));

    HttpResponse<String> response = client.send(request("/nope").GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("Not found: /nope");
  }

  @Test
  void wrongMethodIs405WithTheAllowedOnes() throws Exception {
    start(HttpServerConfig.defaults("127.0.0.1", 0));

    HttpResponse<String> response = client.send(request("/echo").GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void oversizedRequestIs413() throws Exception {
    start(HttpServerConfig.defaults("127.0.0.1", 0).withMaxRequestBytes(1024));

    HttpResponse<String> response =
        client.send(
            request("/echo").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2048])).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void failingRouteIs500AndTheServerKeepsServing() throws Exception {
    start(HttpServerConfig.defaults("127.0.0.1", 0));

    assertThat(client.send(request("/fail").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(500);
    assertThat(client.send(request("/silent").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(500);
    assertThat(client.send(request("/fast").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void blockingRouteDoesNotBlockOtherRequests() throws Exception {
    // One event loop: if routes ran on it, the slow one would hold up the fast one.
    start(HttpServerConfig.defaults("127.0.0.1", 0).withThreads(1, 4, 16));
    CompletableFuture<HttpResponse<String>> slow =
        client.sendAsync(request("/slow").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();

    HttpResponse<String> fast = client.send(request("/fast").GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(fast.statusCode()).isEqualTo(200);
    assertThat(slow).isNotDone();
    releaseSlow.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("slow\n");
  }

  @Test
  void fullHandlerQueueIs503AtOnce() throws Exception {
    Saturated saturated = saturate();

    // The refused one is answered while the only handler thread is still blocked.
    assertThat(saturated.refused().statusCode()).isEqualTo(503);
    assertThat(saturated.refused().headers().firstValue("Retry-After")).contains("1");
    finish(saturated);
  }

  @Test
  void probesAnswerWhileEveryHandlerThreadWaitsAndTheQueueIsFull() throws Exception {
    Saturated saturated = saturate();

    HttpResponse<String> probe = client.send(request("/probe").GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(probe.statusCode()).isEqualTo(200);
    assertThat(probe.body()).isEqualTo("alive\n");
    assertThat(saturated.running()).isNotDone();
    finish(saturated);
  }

  @Test
  void probesAnswerWhileBothMetricsThreadsAreBusy() throws Exception {
    start(HttpServerConfig.defaults("127.0.0.1", 0).withThreads(1, 4, 16));
    // Two scrapes stuck (say, checking passwords of a flood of bad credentials) hold the metrics lane.
    CompletableFuture<HttpResponse<String>> one =
        client.sendAsync(request("/scrape").GET().build(), HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> two =
        client.sendAsync(request("/scrape").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(scrapesStarted.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    HttpResponse<String> probe = client.send(request("/probe").GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> fast = client.send(request("/fast").GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(probe.body()).isEqualTo("alive\n");
    assertThat(fast.body()).isEqualTo("fast\n");
    assertThat(one).isNotDone();
    assertThat(two).isNotDone();
    releaseScrapes.countDown();
    assertThat(one.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).body()).isEqualTo("scraped\n");
    assertThat(two.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).body()).isEqualTo("scraped\n");
  }

  /** The only handler thread blocked in /slow, one more /slow in its queue of one, one refused. */
  private record Saturated(
      CompletableFuture<HttpResponse<String>> running,
      CompletableFuture<HttpResponse<String>> first,
      CompletableFuture<HttpResponse<String>> second,
      HttpResponse<?> refused) {}

  private Saturated saturate() throws Exception {
    start(HttpServerConfig.defaults("127.0.0.1", 0).withThreads(1, 1, 1));
    CompletableFuture<HttpResponse<String>> running =
        client.sendAsync(request("/slow").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
    // One of these waits in the queue, the other finds it full; which is which depends on arrival.
    CompletableFuture<HttpResponse<String>> first =
        client.sendAsync(request("/slow").GET().build(), HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> second =
        client.sendAsync(request("/slow").GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<?> refused = (HttpResponse<?>) CompletableFuture.anyOf(first, second).get(10, TimeUnit.SECONDS);
    return new Saturated(running, first, second, refused);
  }

  /** Lets /slow return: the running and the queued request are answered, the refused one was not. */
  private void finish(Saturated saturated) throws Exception {
    releaseSlow.countDown();
    assertThat(saturated.running().get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(List.of(
            saturated.first().get(10, TimeUnit.SECONDS).statusCode(),
            saturated.second().get(10, TimeUnit.SECONDS).statusCode()))
        .containsExactlyInAnyOrder(200, 503);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOnAKeptAliveConnection() throws Exception {
    start(HttpServerConfig.defaults("127.0.0.1", 0));

    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /sleepy HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();

      assertThat(readResponse(in)).startsWith("HTTP/1.1 200 OK").endsWith("sleepy\n");
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200 OK").endsWith("fast\n");
    }
  }

  @Test
  void boundPortIsReadBackAndStartAndCloseAreIdempotent() {
    server = new HttpServer(HttpServerConfig.defaults("127.0.0.1", 0), List.of());
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);

    server.start();
    int port = server.port();
    server.start();

    assertThat(port).isPositive();
    assertThat(server.port()).isEqualTo(port);
    server.close();
    server.close();
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void twoRoutesForOneEndpointAreRefused() {
    HttpRoute route = exchange -> exchange.respondText(HttpResponseStatus.OK, "x");

    assertThatThrownBy(
            () ->
                new HttpServer(
                    HttpServerConfig.defaults("127.0.0.1", 0),
                    List.of(new HttpEndpoint(HttpMethod.GET, "/a", route), new HttpEndpoint(HttpMethod.GET, "/a", route))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void start(HttpServerConfig config) {
    List<HttpEndpoint> endpoints = new ArrayList<>();
    endpoints.add(
        new HttpEndpoint(
            HttpMethod.POST,
            "/echo",
            exchange ->
                exchange.respondText(
                    HttpResponseStatus.OK,
                    exchange.method()
                        + " "
                        + exchange.path()
                        + " x="
                        + exchange.queryParameters().get("x")
                        + " X-Test="
                        + exchange.headers().get("X-Test")
                        + " from "
                        + exchange.remoteAddress().getAddress().getHostAddress()
                        + ": "
                        + new String(exchange.body(), UTF_8))));
    endpoints.add(new HttpEndpoint(HttpMethod.GET, "/fast", exchange -> exchange.respondText(HttpResponseStatus.OK, "fast")));
    endpoints.add(new HttpEndpoint(HttpMethod.GET, "/slow", this::slow));
    endpoints.add(new HttpEndpoint(HttpMethod.GET, "/sleepy", exchange -> {
      sleep(200);
      exchange.respondText(HttpResponseStatus.OK, "sleepy");
    }));
    endpoints.add(new HttpEndpoint(HttpMethod.GET, "/fail", exchange -> {
      throw new IllegalStateException("route failed on purpose");
    }));
    endpoints.add(new HttpEndpoint(HttpMethod.GET, "/silent", exchange -> {}));
    endpoints.add(HttpEndpoint.probe(HttpMethod.GET, "/probe", exchange -> exchange.respondText(HttpResponseStatus.OK, "alive")));
    endpoints.add(HttpEndpoint.metrics(HttpMethod.GET, "/scrape", exchange -> {
      scrapesStarted.countDown();
      await(releaseScrapes);
      exchange.respondText(HttpResponseStatus.OK, "scraped");
    }));
    server = new HttpServer(config, endpoints);
    server.start();
  }

  private void slow(HttpExchange exchange) {
    slowStarted.countDown();
    await(releaseSlow);
    exchange.respondText(HttpResponseStatus.OK, "slow");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).timeout(TIMEOUT);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // Reads one response with a Content-Length body from a raw socket.
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("Connection closed in the middle of a response: " + head.toString(US_ASCII));
      }
      head.write(b);
    }
    String headers = head.toString(US_ASCII);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return headers + new String(in.readNBytes(length), UTF_8);
  }
}
