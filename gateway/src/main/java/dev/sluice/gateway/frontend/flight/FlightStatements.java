package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.RemovalNotification;
import com.google.protobuf.ByteString;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.policies.Principal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Flight SQL frontend's handles: prepared statements and query tickets. A handle is 128
 * random bits, so it cannot be guessed, and belongs to the user who created it: anybody else's
 * lookup fails exactly like a lookup of a handle that never existed. Both kinds live in bounded
 * caches that drop idle entries; dropping a ticket (idle, evicted, or at {@link #close()})
 * cancels its query if it is running.
 */
final class FlightStatements implements AutoCloseable {
  static final int MAX_PREPARED_STATEMENTS = 10_000;
  static final Duration PREPARED_STATEMENT_IDLE = Duration.ofMinutes(30);
  static final int MAX_TICKETS = 10_000;
  static final Duration MIN_TICKET_IDLE = Duration.ofMinutes(5);

  private static final int HANDLE_BYTES = 16;

  private final SecureRandom random = new SecureRandom();
  private final Cache<String, PreparedQuery> prepared;
  private final Cache<String, QueryTicket> tickets;

  /**
   * @param queryTimeout the engine's query timeout: a streaming ticket is touched with every
   *     batch, but the first batch of a long query may take up to this long
   */
  FlightStatements(Duration queryTimeout) {
    requireNonNull(queryTimeout, "queryTimeout is null");
    Duration ticketIdle = queryTimeout.plusMinutes(1).compareTo(MIN_TICKET_IDLE) > 0
        ? queryTimeout.plusMinutes(1)
        : MIN_TICKET_IDLE;
    this.prepared = CacheBuilder.newBuilder()
        .maximumSize(MAX_PREPARED_STATEMENTS)
        .expireAfterAccess(PREPARED_STATEMENT_IDLE.toMillis(), TimeUnit.MILLISECONDS)
        .build();
    this.tickets = CacheBuilder.newBuilder()
        .maximumSize(MAX_TICKETS)
        .expireAfterAccess(ticketIdle.toMillis(), TimeUnit.MILLISECONDS)
        .removalListener((RemovalNotification<String, QueryTicket> removed) -> removed.getValue().cancel())
        .build();
  }

  PreparedQuery prepare(Principal owner, QueryPlan plan) {
    PreparedQuery query = new PreparedQuery(newHandle(), requireNonNull(owner, "owner is null"), plan);
    prepared.put(query.id(), query);
    return query;
  }

  /** The caller's prepared statement {@code handle}; NOT_FOUND for unknown, expired and other users' handles. */
  PreparedQuery prepared(Principal caller, ByteString handle) {
    return owned(prepared.getIfPresent(key(handle)), caller, PreparedQuery::owner)
        .orElseThrow(() -> new GatewayException(
            ErrorCode.NO_SUCH_STATEMENT, "No such prepared statement (closed, expired or never created)"));
  }

  /** Closes the caller's prepared statement; closing one that is gone (or not the caller's) does nothing. */
  void closePrepared(Principal caller, ByteString handle) {
    String key = key(handle);
    owned(prepared.getIfPresent(key), caller, PreparedQuery::owner).ifPresent(query -> prepared.invalidate(key));
  }

  QueryTicket issue(Principal owner, QueryPlan plan, List<Object> parameters) {
    QueryTicket ticket = new QueryTicket(newHandle(), requireNonNull(owner, "owner is null"), plan, parameters);
    tickets.put(ticket.id(), ticket);
    return ticket;
  }

  /** The caller's ticket {@code handle}; NOT_FOUND for unknown, finished, expired and other users' tickets. */
  QueryTicket ticket(Principal caller, ByteString handle) {
    return findTicket(caller, handle)
        .orElseThrow(() -> new GatewayException(
            ErrorCode.NO_SUCH_STATEMENT, QueryTicket.NOT_FOUND));
  }

  Optional<QueryTicket> findTicket(Principal caller, ByteString handle) {
    return owned(tickets.getIfPresent(key(handle)), caller, QueryTicket::owner);
  }

  /** Keeps a streaming ticket from looking idle. */
  void touch(QueryTicket ticket) {
    tickets.getIfPresent(ticket.id());
  }

  /** Forgets a ticket whose stream ended. */
  void finished(QueryTicket ticket) {
    tickets.invalidate(ticket.id());
  }

  /** Drops idle entries now (Guava otherwise only does it while the caches are used). */
  void cleanUp() {
    prepared.cleanUp();
    tickets.cleanUp();
  }

  static ByteString handleBytes(String id) {
    return ByteString.copyFromUtf8(id);
  }

  @Override
  public void close() {
    prepared.invalidateAll();
    tickets.invalidateAll();
    cleanUp();
  }

  private String newHandle() {
    byte[] bytes = new byte[HANDLE_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String key(ByteString handle) {
    return requireNonNull(handle, "handle is null").toStringUtf8();
  }

  // Compared by user name, as Avatica connections are: the same account may hold several tokens.
  private static <T> Optional<T> owned(
      T entry, Principal caller, java.util.function.Function<T, Principal> owner) {
    requireNonNull(caller, "caller is null");
    // The purpose too: a plan made for one purpose is not read under another (or none).
    return Optional.ofNullable(entry).filter(e -> {
      Principal owning = owner.apply(e);
      return owning.user().equals(caller.user()) && owning.purpose().equals(caller.purpose());
    });
  }
}
