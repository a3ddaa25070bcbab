package dev.sluice.gateway.frontend.flight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.ArrowBatches;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.gateway.engine.ResultColumn;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;

/** Handles: unguessable, owned by their creator, bounded, and canceled when dropped. */
class FlightStatementsTest {
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());
  private static final QueryPlan PLAN =
      TestingGateway.shared().engine().prepare(ADMIN, "SELECT COUNT(*) FROM cdp.customers");

  private final FlightStatements statements = new FlightStatements(Duration.ofMinutes(5));

  @Test
  void handlesAreLongRandomAndDistinct() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(statements.issue(ADMIN, PLAN, List.of()).id());
      ids.add(statements.prepare(ADMIN, PLAN).id());
    }
    assertThat(ids).hasSize(2000).allMatch(id -> id.matches("[A-Za-z0-9_-]{22}"));
  }

  @Test
  void anotherUsersHandleLooksLikeNoHandle() {
    QueryTicket ticket = statements.issue(ADMIN, PLAN, List.of());
    PreparedQuery prepared = statements.prepare(ADMIN, PLAN);

    assertThatThrownBy(() -> statements.ticket(MAX, FlightStatements.handleBytes(ticket.id())))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_STATEMENT))
        .hasMessage("No such ticket (already read, expired or never issued)");
    assertThatThrownBy(() -> statements.prepared(MAX, FlightStatements.handleBytes(prepared.id())))
        .hasMessage("No such prepared statement (closed, expired or never created)");
    // max closing admin's statement does nothing to it.
    statements.closePrepared(MAX, FlightStatements.handleBytes(prepared.id()));

    assertThat(statements.ticket(ADMIN, FlightStatements.handleBytes(ticket.id()))).isSameAs(ticket);
    assertThat(statements.prepared(ADMIN, FlightStatements.handleBytes(prepared.id()))).isSameAs(prepared);
    statements.closePrepared(ADMIN, FlightStatements.handleBytes(prepared.id()));
    assertThatThrownBy(() -> statements.prepared(ADMIN, FlightStatements.handleBytes(prepared.id())))
        .isInstanceOf(GatewayException.class);
  }

  @Test
  void theCachesAreBoundedAndDroppedTicketsAreCanceled() {
    List<QueryTicket> tickets = new ArrayList<>();
    for (int i = 0; i < 2 * FlightStatements.MAX_TICKETS; i++) {
      tickets.add(statements.issue(ADMIN, PLAN, List.of()));
    }
    List<QueryTicket> kept = tickets.stream()
        .filter(ticket -> statements.findTicket(ADMIN, FlightStatements.handleBytes(ticket.id())).isPresent())
        .toList();

    assertThat(kept).hasSizeLessThanOrEqualTo(FlightStatements.MAX_TICKETS);
    QueryTicket dropped = tickets.get(0);
    assertThat(kept).doesNotContain(dropped);
    assertThatThrownBy(() -> dropped.start(() -> {}))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.QUERY_CANCELED));
  }

  @Test
  void closingCancelsRunningQueriesThroughTheirCursorAndStream() {
    QueryTicket ticket = statements.issue(ADMIN, PLAN, List.of());
    AtomicBoolean streamStopped = new AtomicBoolean();
    TestingCursor cursor = new TestingCursor();
    ticket.start(() -> streamStopped.set(true));
    assertThat(ticket.attach(cursor)).isTrue();

    statements.close();

    assertThat(cursor.canceled).isTrue();
    // The stream closes its cursor itself, on its own thread.
    assertThat(cursor.closed).isFalse();
    assertThat(streamStopped).isTrue();
    assertThat(ticket.cancel()).isEqualTo(CancelStatus.NOT_CANCELLABLE);
  }

  @Test
  void aTicketIsReadOnce() {
    QueryTicket ticket = statements.issue(ADMIN, PLAN, List.of());
    ticket.start(() -> {});

    assertThatThrownBy(() -> ticket.start(() -> {})).hasMessageContaining("already read");
    ticket.finish();
    assertThatThrownBy(() -> ticket.start(() -> {})).hasMessageContaining("already read");
    assertThat(ticket.cancel()).isEqualTo(CancelStatus.NOT_CANCELLABLE);
  }

  @Test
  void aTicketReadToItsEndIsNotFoundEvenBeforeTheCacheForgetsIt() {
    QueryTicket ticket = statements.issue(ADMIN, PLAN, List.of());
    ticket.start(() -> {});
    ticket.finish();
    // Still in the cache: the stream that read it has not yet called finished().
    assertThat(statements.findTicket(ADMIN, com.google.protobuf.ByteString.copyFromUtf8(ticket.id()))).isPresent();
    assertThatThrownBy(() -> ticket.start(() -> {}))
        .isInstanceOfSatisfying(dev.sluice.gateway.GatewayException.class, e -> {
          assertThat(e.code()).isEqualTo(dev.sluice.gateway.ErrorCode.NO_SUCH_STATEMENT);
          assertThat(e.getMessage()).isEqualTo(QueryTicket.NOT_FOUND);
        });
  }

  /** A cursor that only records what was done to it. */
  private static final class TestingCursor implements QueryCursor {
    volatile boolean canceled;
    volatile boolean closed;

    @Override
    public String queryId() {
      return "testing";
    }

    @Override
    public List<ResultColumn> columns() {
      return List.of();
    }

    @Override
    public List<Object[]> fetch(int maxRows) {
      return List.of();
    }

    @Override
    public ArrowBatches arrow(BufferAllocator allocator, int batchRows) {
      // These tests only watch cancel and close; nothing reads rows from this double.
      throw new UnsupportedOperationException("TestingCursor has no rows to read as Arrow");
    }

    @Override
    public boolean done() {
      return false;
    }

    @Override
    public void cancel() {
      canceled = true;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
