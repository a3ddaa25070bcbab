package dev.sluice.gateway.tooling;

import dev.sluice.gateway.Failures;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns the exception a driver throws while connecting or probing into what a user can act on,
 * the way a connector screen's "test connection" explains itself. Drivers wrap the cause that
 * matters (a socket's {@link ConnectException} inside a {@code PSQLException} inside a pool's
 * exception), so the whole cause chain is searched, most specific first.
 */
public final class ConnectionFailures {
  private ConnectionFailures() {}

  /** One or two sentences: what went wrong and what to check. */
  public static String explain(Throwable failure) {
    UnknownHostException unknownHost = find(failure, UnknownHostException.class);
    if (unknownHost != null) {
      return "Unknown host " + unknownHost.getMessage()
          + ": the host name does not resolve. Check the spelling of the host (or server hostname) "
          + "and that this machine's DNS can see it.";
    }
    if (find(failure, SSLException.class) != null
        || allMessages(failure).toLowerCase(Locale.ROOT).contains("does not support ssl")) {
      return "TLS problem: " + Failures.rootLine(failure)
          + ". Check the SSL mode, that the server offers TLS, and that its certificate is trusted here.";
    }
    if (find(failure, ConnectException.class) != null || find(failure, NoRouteToHostException.class) != null) {
      return "Connection refused: nothing accepts connections at that host and port. Check the port, "
          + "that the warehouse is running, and that firewalls or security groups allow this machine.";
    }
    if (find(failure, TimeoutException.class) != null
        || find(failure, SocketTimeoutException.class) != null
        || find(failure, SQLTimeoutException.class) != null
        // pgjdbc's loginTimeout gives up with only this message, no timeout exception type.
        || allMessages(failure).toLowerCase(Locale.ROOT).contains("timed out")) {
      return "Timed out: the warehouse did not answer in time. Check the host and port, that the "
          + "network path (VPN, firewall, private link) is open, and that the warehouse is not suspended.";
    }
    if (find(failure, NoSuchFileException.class) != null) {
      return "File not found: " + find(failure, NoSuchFileException.class).getMessage()
          + ". Check the path, and that the gateway's user may read it.";
    }
    SQLException sql = find(failure, SQLException.class);
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    String message = Failures.rootLine(failure);
    String lower = allMessages(failure).toLowerCase(Locale.ROOT);
    if (state.startsWith("28") || lower.contains("password authentication failed")
        || lower.contains("invalid credentials") || lower.contains("invalid personal access token")
        || lower.contains("authentication failed")) {
      return "Authentication failed: " + message
          + ". Check the user and password (or token), and that its environment variable is set.";
    }
    if (state.equals("3D000")) {
      return "The database does not exist: " + message + ". Check the database (or catalog) name.";
    }
    if (state.equals("42501") || lower.contains("permission denied") || lower.contains("insufficient privilege")) {
      return "No permission: " + message
          + ". Ask the warehouse admin to grant USAGE on the schema and SELECT on its tables to this user.";
    }
    if (state.equals("42P01") || state.equals("3F000") || state.equals("42S02")
        || lower.contains("catalog error") || lower.contains("does not exist")) {
      if (lower.contains("duckdb database file")) {
        return "File not found: " + message + ". Check the path, and that the gateway's user may read it.";
      }
      return "Missing schema or table: " + message
          + ". Check the virtual schema's source (warehouse.schema.table) and that this user can see it.";
    }
    return "The warehouse failed: " + message + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")");
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
      if (cause instanceof SQLException sql && sql.getNextException() != null
          && type.isInstance(sql.getNextException())) {
        return type.cast(sql.getNextException());
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }

  private static String allMessages(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
      text.append(cause.getMessage()).append('\n');
    }
    return text.toString();
  }
}
