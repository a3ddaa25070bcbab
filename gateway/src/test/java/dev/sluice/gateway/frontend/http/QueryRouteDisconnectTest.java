package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.auth.Authenticator;
import dev.sluice.gateway.auth.LoginThrottle;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.auth.TokenStore;
import dev.sluice.gateway.testing.TestingGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backpressure and disconnects, seen from the warehouse: a client that stops reading holds its
 * query (one pooled warehouse connection, a few batches of memory) instead of the gateway reading
 * the whole result into memory; when the client then disconnects, the query is canceled and its
 * warehouse connection and Arrow memory are released.
 */
class QueryRouteDisconnectTest {
  // About 50 MB of Arrow: far more than the socket buffers and the listener's write queue hold.
  private static final String MILLION_ROWS = "SELECT * FROM cdp.purchases";

  private GatewayServer gateway;
  private QueryRoute route;
  private HttpServer http;

  @BeforeEach
  void start() {
    gateway = TestingGateway.shared();
    route = new QueryRoute(gateway.engine(), new RequestAuthenticator(
        new Authenticator(gateway.config().users()),
        new TokenStore(Duration.ofMinutes(5), 10),
        new LoginThrottle(100, Duration.ofMinutes(1), Duration.ofMinutes(1))));
    http = new HttpServer(HttpServerConfig.defaults("127.0.0.1", 0), route.endpoints());
    http.start();
  }

  @AfterEach
  void stop() {
    http.close();
    route.close();
  }

  @Test
  void aClientThatStopsReadingHoldsItsQueryAndDisconnectingCancelsIt() throws Exception {
    // How long the whole result takes to stream to a client that reads it all: a gateway that
    // buffered instead of waiting would be done with the stalled query after about as long.
    long started = System.nanoTime();
    HttpResponse<InputStream> whole = QueryClient.HTTP.send(
        QueryClient.request(QueryClient.uri(http.port()), "admin", QueryClient.body(MILLION_ROWS)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = whole.body()) {
      assertThat(body.transferTo(OutputStream.nullOutputStream())).isGreaterThan(10L << 20);
    }
    Duration wholeResult = Duration.ofNanos(System.nanoTime() - started);
    int idleConnections = activeWarehouseConnections();
    try (Socket socket = new Socket()) {
      // A small window, so that the kernel cannot take the result off the gateway's hands.
      socket.setReceiveBufferSize(64 * 1024);
      socket.connect(new InetSocketAddress("127.0.0.1", http.port()), 10_000);
      sendQuery(socket.getOutputStream(), MILLION_ROWS);
      String head = readAtLeast(socket.getInputStream(), 128 * 1024);
      assertThat(head).startsWith("HTTP/1.1 200 OK").contains("transfer-encoding: chunked");

      // The client reads nothing more: the gateway waits instead of buffering the rest.
      Thread.sleep(2 * wholeResult.toMillis() + 1_000);
      assertThat(route.runningQueries()).isEqualTo(1);
      assertThat(activeWarehouseConnections()).isGreaterThanOrEqualTo(idleConnections + 1);
      assertThat(route.allocatedBytes()).as("Arrow memory of the stalled query").isLessThan(32L << 20);
    }

    awaitTrue("the query ends after the disconnect", () -> route.runningQueries() == 0);
    awaitTrue("the warehouse connection goes back to the pool",
        () -> activeWarehouseConnections() <= idleConnections);
    assertThat(route.allocatedBytes()).isZero();
  }

  @Test
  void aClientThatDisconnectsWhileTheQueryStartsCancelsItToo() throws Exception {
    int idleConnections = activeWarehouseConnections();
    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      sendQuery(socket.getOutputStream(), MILLION_ROWS);
      awaitTrue("the query starts", () -> route.runningQueries() == 1);
    }

    awaitTrue("the query ends after the disconnect", () -> route.runningQueries() == 0);
    awaitTrue("the warehouse connection goes back to the pool",
        () -> activeWarehouseConnections() <= idleConnections);
    assertThat(route.allocatedBytes()).isZero();
  }

  private static void sendQuery(OutputStream out, String sql) throws Exception {
    byte[] body = QueryClient.body(sql).getBytes(UTF_8);
    String head = "POST " + QueryRoute.PATH + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n"
        + "Authorization: " + QueryClient.basic("admin") + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "\r\n";
    out.write(head.getBytes(UTF_8));
    out.write(body);
    out.flush();
  }

  /** Reads at least {@code bytes} bytes; returns the start of them as text (the status and headers). */
  private static String readAtLeast(InputStream in, int bytes) throws Exception {
    byte[] buffer = new byte[bytes];
    int total = 0;
    while (total < bytes) {
      int n = in.read(buffer, total, bytes - total);
      assertThat(n).as("bytes before the end of the stream").isPositive();
      total += n;
    }
    return new String(buffer, 0, 512, UTF_8);
  }

  private int activeWarehouseConnections() {
    HikariDataSource pool;
    try {
      pool = gateway.engine().catalog().warehouse("dw").orElseThrow().dataSource().unwrap(HikariDataSource.class);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("The dw warehouse is not a Hikari pool", e);
    }
    return pool.getHikariPoolMXBean().getActiveConnections();
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as(what).isTrue();
      Thread.sleep(20);
    }
  }
}
