package io.tether.db;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Whether a failure says the database is away (a connection failure, SQLSTATE class 08, the server
 * shutting down or starting, 57P01–57P03, or the pool making no connection in time) rather than
 * that the statement was wrong: what is worth trying again once it is back. Hibernate and the
 * transaction manager wrap the driver's exception, so the causes are searched.
 */
public final class DatabaseAway {
  /** The first wait before trying again what the database could not take: a restart takes ~1 s. */
  public static final Duration RETRY_FIRST = Duration.ofSeconds(1);

  /** The longest wait between two tries through a longer outage. */
  public static final Duration RETRY_MAX = Duration.ofSeconds(30);

  private DatabaseAway() {}

  /** The wait after {@code wait}: doubled, at most {@code max}. */
  public static Duration nextWait(Duration wait, Duration max) {
    Duration doubled = wait.multipliedBy(2);
    return doubled.compareTo(max) > 0 ? max : doubled;
  }

  public static boolean in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && (awayState(sql) || noConnectionInTime(sql))) {
        return true;
      }
    }
    return false;
  }

  private static boolean awayState(SQLException sql) {
    String state = sql.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  /**
   * The pool (Agroal) made no connection within its acquisition timeout: the database has been down
   * for longer than that (or every connection is busy). Agroal says so in a message, with no
   * SQLSTATE.
   */
  private static boolean noConnectionInTime(SQLException sql) {
    return sql.getSQLState() == null
        && sql.getMessage() != null
        && sql.getMessage().startsWith(AGROAL_ACQUISITION_TIMEOUT);
  }

  /** How Agroal's acquisition-timeout failure begins ("... while waiting for new connection"). */
  static final String AGROAL_ACQUISITION_TIMEOUT = "Acquisition timeout";
}
