package dev.sluice.gateway.admission;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Tells a warehouse that cannot be reached from a warehouse that refused one query. */
public final class WarehouseFailures {
  private WarehouseFailures() {}

  /**
   * Whether {@code failure} says the warehouse is unreachable or going away: JDBC connection
   * exceptions, SQLSTATE class 08 (connection exception), and PostgreSQL's (and Redshift's)
   * 57P01-57P03 (shutting down, crashed, not accepting connections yet), which a session still in
   * the pool gets when its server stops.
   */
  public static boolean isConnectionFailure(Throwable failure) {
    if (failure instanceof SQLTransientConnectionException || failure instanceof SQLNonTransientConnectionException) {
      return true;
    }
    if (!(failure instanceof SQLException sql) || sql.getSQLState() == null) {
      return false;
    }
    String state = sql.getSQLState();
    return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
  }
}
