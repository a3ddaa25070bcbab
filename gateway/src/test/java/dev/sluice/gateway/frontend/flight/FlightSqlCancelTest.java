package dev.sluice.gateway.frontend.flight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.TestingGateway;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.sql.CancelResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cancellation and failures while a result streams, on a gateway of its own with small Arrow
 * batches (so the first batch leaves long before the query ends) and a warehouse pool no other
 * test uses: a CancelFlightInfo, a client that cancels its stream, and the frontend all reach the
 * warehouse statement (the pool's active connections drop to zero), and a query that fails after
 * its first batch ends with an error at the client, never as a short result.
 */
@Timeout(120)
class FlightSqlCancelTest {
  /** Hundreds of millions of rows: it never ends on its own within a test. */
  static final String ENDLESS = "SELECT * FROM cdp.purchases CROSS JOIN cdp.products";
  /**
   * Fails on the first order from 2,000,000 on, about 590,000 rows in. The first bad row must be
   * several DuckDB row groups (122,880 rows) deep: DuckDB's parallel scan starts on the second
   * row group at once and fills its streaming buffer (about 250,000 such rows) before it waits for
   * the reader, so a bad row any earlier fails the query before its first batch (order 400,000,
   * in the second row group, does), which would prove nothing here.
   */
  static final String FAILS_HALFWAY =
      "SELECT CAST(CASE WHEN order_id < 2000000 THEN '1' ELSE 'x' END AS INTEGER) AS v FROM cdp.purchases";
  static final int BATCH_ROWS = 1024;

  private static GatewayServer server;
  private static FlightTestClient admin;

  @BeforeAll
  static void start() {
    server = new GatewayServer(TestingGateway.withArrowBatchRows(TestingGateway.demoConfig(), BATCH_ROWS));
    server.start();
    admin = FlightTestClient.connect(server, "admin");
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void everyWarehouseStatementIsReleased() throws InterruptedException {
    assertThat(activeConnectionsOnceSettled()).isZero();
  }

  @Test
  void cancelFlightInfoStopsARunningQuery() throws Exception {
    FlightInfo info = admin.sql.execute(ENDLESS, admin.auth);
    FlightStream stream = admin.sql.getStream(info.getEndpoints().get(0).getTicket(), admin.auth);
    try {
      assertThat(stream.next()).isTrue();
      assertThat(stream.getRoot().getRowCount()).isEqualTo(BATCH_ROWS);
      assertThat(pool().getHikariPoolMXBean().getActiveConnections()).isEqualTo(1);

      assertThat(admin.sql.cancelFlightInfo(new CancelFlightInfoRequest(info), admin.auth).getStatus())
          .isEqualTo(CancelStatus.CANCELLED);

      assertThatThrownBy(() -> drain(stream)).isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
        assertThat(e.status().code()).isEqualTo(FlightStatusCode.CANCELLED);
        assertThat(e.status().description()).isEqualTo("[57014] The query was canceled");
      });
    } finally {
      closeQuietly(stream);
    }
    assertThat(activeConnectionsOnceSettled()).isZero();
  }

  @Test
  void aClientThatCancelsItsStreamCancelsTheWarehouseStatement() throws Exception {
    FlightInfo info = admin.sql.execute(ENDLESS, admin.auth);
    FlightStream stream = admin.sql.getStream(info.getEndpoints().get(0).getTicket(), admin.auth);
    try {
      assertThat(stream.next()).isTrue();
      assertThat(pool().getHikariPoolMXBean().getActiveConnections()).isEqualTo(1);
      stream.cancel("The client has seen enough", null);
    } finally {
      closeQuietly(stream);
    }
    assertThat(activeConnectionsOnceSettled()).isZero();
    // The ticket is gone with its stream.
    assertThat(admin.sql.cancelFlightInfo(new CancelFlightInfoRequest(info), admin.auth).getStatus())
        .isEqualTo(CancelStatus.NOT_CANCELLABLE);
  }

  @Test
  void aTicketCanceledBeforeItIsReadNeverRuns() {
    FlightInfo info = admin.sql.execute(ENDLESS, admin.auth);

    assertThat(admin.sql.cancelFlightInfo(new CancelFlightInfoRequest(info), admin.auth).getStatus())
        .isEqualTo(CancelStatus.CANCELLED);
    assertThatThrownBy(() -> admin.rows(info)).isInstanceOfSatisfying(FlightRuntimeException.class,
        e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.CANCELLED));
    // The deprecated CancelQuery action goes the same way.
    @SuppressWarnings("deprecation")
    CancelResult result = admin.sql.cancelQuery(admin.sql.execute(ENDLESS, admin.auth), admin.auth);
    assertThat(result).isEqualTo(CancelResult.CANCELLED);
  }

  @Test
  void onlyTheOwnerCancels() {
    FlightInfo info = admin.sql.execute("SELECT COUNT(*) FROM cdp.customers", admin.auth);
    try (FlightTestClient max = FlightTestClient.connect(server, "max")) {
      assertThat(max.sql.cancelFlightInfo(new CancelFlightInfoRequest(info), max.auth).getStatus())
          .isEqualTo(CancelStatus.NOT_CANCELLABLE);
    }
    assertThat(admin.rows(info)).hasSize(1);
    // Read, the ticket is gone: nothing left to cancel.
    assertThat(admin.sql.cancelFlightInfo(new CancelFlightInfoRequest(info), admin.auth).getStatus())
        .isEqualTo(CancelStatus.NOT_CANCELLABLE);
  }

  /** Repeated: the failure races with DuckDB's parallel scan, and no run may end as a short result. */
  @RepeatedTest(5)
  void aFailureAfterTheFirstBatchReachesTheClientAsAnError() throws Exception {
    FlightInfo info = admin.sql.execute(FAILS_HALFWAY, admin.auth);
    long[] rowsBeforeTheError = {0};
    FlightStream stream = admin.sql.getStream(info.getEndpoints().get(0).getTicket(), admin.auth);
    try {
      assertThatThrownBy(() -> {
        while (stream.next()) {
          rowsBeforeTheError[0] += stream.getRoot().getRowCount();
        }
      }).as("after %s rows", rowsBeforeTheError[0]).isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
        assertThat(e.status().code()).isEqualTo(FlightStatusCode.INTERNAL);
        assertThat(e.status().description())
            .startsWith("[58000] Warehouse dw failed")
            .contains("Could not convert string 'x'")
            .doesNotContain("\tat ");
        assertThat(e.status().metadata().get(FlightErrors.SQLSTATE)).isEqualTo("58000");
      });
    } finally {
      closeQuietly(stream);
    }
    assertThat(rowsBeforeTheError[0]).as("rows received before the error").isGreaterThanOrEqualTo(BATCH_ROWS);
  }

  /**
   * The driver's {@code ResultSet.next()} throws the failure as its own (shaded, unchecked)
   * FlightRuntimeException rather than an SQLException; what matters is that it throws.
   */
  @Test
  void theJdbcDriverAlsoSeesTheFailureAfterTheFirstRows() throws SQLException {
    long[] rows = {0};
    try (Connection connection = DriverManager.getConnection(TestingGateway.flightJdbcUrl(server, "admin"));
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(FAILS_HALFWAY)) {
      assertThatThrownBy(() -> {
        while (rs.next()) {
          rows[0]++;
        }
      }).as("after %s rows", rows[0]).hasMessageContaining("[58000]").hasMessageContaining("Could not convert string 'x'");
    }
    assertThat(rows[0]).isGreaterThanOrEqualTo(BATCH_ROWS);
  }

  @Test
  void closingTheFrontendCancelsRunningQueries() throws Exception {
    GatewayServer own = new GatewayServer(TestingGateway.withArrowBatchRows(TestingGateway.demoConfig(), BATCH_ROWS));
    own.start();
    HikariDataSource ownPool = own.engine().catalog().warehouse("dw").orElseThrow().dataSource()
        .unwrap(HikariDataSource.class);
    try (FlightTestClient client = FlightTestClient.connect(own, "admin")) {
      FlightInfo info = client.sql.execute(ENDLESS, client.auth);
      FlightStream stream = client.sql.getStream(info.getEndpoints().get(0).getTicket(), client.auth);
      try {
        assertThat(stream.next()).isTrue();
        assertThat(ownPool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(1);
        long started = System.nanoTime();
        own.close();
        assertThat((System.nanoTime() - started) / 1_000_000).as("close took (ms)").isLessThan(10_000);
        assertThatThrownBy(() -> drain(stream)).isInstanceOf(FlightRuntimeException.class);
      } finally {
        closeQuietly(stream);
      }
    } finally {
      own.close();
    }
  }

  /** Backpressure holds a warehouse statement only as long as the query timeout allows. */
  @Test
  void aClientThatStopsReadingTimesOut() throws Exception {
    GatewayServer impatient = new GatewayServer(TestingGateway.withTimeout(
        TestingGateway.withArrowBatchRows(TestingGateway.demoConfig(), BATCH_ROWS), java.time.Duration.ofSeconds(2)));
    impatient.start();
    HikariDataSource impatientPool = impatient.engine().catalog().warehouse("dw").orElseThrow().dataSource()
        .unwrap(HikariDataSource.class);
    try (FlightTestClient client = FlightTestClient.connect(impatient, "admin")) {
      FlightInfo info = client.sql.execute(ENDLESS, client.auth);
      FlightStream stream = client.sql.getStream(info.getEndpoints().get(0).getTicket(), client.auth);
      try {
        assertThat(stream.next()).isTrue();
        // The client stops reading; the server fills the transport's buffers and waits.
        Thread.sleep(4_000);
        assertThat(impatientPool.getHikariPoolMXBean().getActiveConnections()).isZero();
        assertThatThrownBy(() -> drain(stream)).isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
          assertThat(e.status().code()).isEqualTo(FlightStatusCode.TIMED_OUT);
          assertThat(e.status().description()).startsWith("[57014] ");
        });
      } finally {
        closeQuietly(stream);
      }
    } finally {
      impatient.close();
    }
  }

  private static void drain(FlightStream stream) {
    while (stream.next()) {
      // Batches the server sent before it stopped.
    }
  }

  private static HikariDataSource pool() {
    try {
      return server.engine().catalog().warehouse("dw").orElseThrow().dataSource().unwrap(HikariDataSource.class);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  // Cancels and closes travel asynchronously from the client; give them a moment.
  private static int activeConnectionsOnceSettled() throws InterruptedException {
    for (int i = 0; i < 100 && pool().getHikariPoolMXBean().getActiveConnections() > 0; i++) {
      Thread.sleep(50);
    }
    return pool().getHikariPoolMXBean().getActiveConnections();
  }

  private static void closeQuietly(FlightStream stream) {
    try {
      stream.close();
    } catch (Exception e) {
      // The stream already failed or was canceled; closing it only releases the client's buffers.
    }
  }
}
