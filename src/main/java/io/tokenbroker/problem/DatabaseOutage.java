package io.tokenbroker.problem;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a failure to reach PostgreSQL (server stopped, restarting, unreachable, out of connections,
 * or the pool out of time) from every other database error. Only the former is worth answering with
 * 503 and {@code Retry-After}: it passes without anyone changing anything. A constraint violation
 * or a broken query is a bug and stays a 500.
 */
public final class DatabaseOutage {

  /** Seconds a caller is told to wait: database restarts and failovers take seconds, not hours. */
  public static final long RETRY_AFTER_SECONDS = 5;

  /**
   * SQLSTATEs outside class 08 (connection exception) that mean "the server is not serving now":
   * admin shutdown, crash shutdown, cannot connect now (starting up or in recovery), too many
   * connections.
   */
  private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

  private DatabaseOutage() {}

  /** True when {@code failure}, or anything that caused it, is a failure to reach the database. */
  public static boolean causedBy(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (t instanceof SQLException sql && unavailable(sql)) {
        return true;
      }
      // Hibernate's words for "the pool gave no connection", whatever the pool or driver said: a
      // connection attempt the pool cancelled at its acquisition timeout surfaces from the driver
      // as a generic error without a connection SQLSTATE.
      if (mentions(t, "unable to acquire jdbc connection")) {
        return true;
      }
    }
    return false;
  }

  private static boolean unavailable(SQLException e) {
    if (e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException
        || e instanceof SQLRecoverableException) {
      return true;
    }
    String state = e.getSQLState();
    if (state != null) {
      return state.startsWith("08") || UNAVAILABLE_STATES.contains(state);
    }
    // Agroal's pool raises a plain SQLException without a state when no connection came in time.
    return mentions(e, "acquisition timeout");
  }

  private static boolean mentions(Throwable t, String words) {
    String message = t.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains(words);
  }
}
