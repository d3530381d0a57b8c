package io.tether.db;

import java.sql.SQLException;

/**
 * Whether a failure says the database is away (a connection failure, SQLSTATE class 08, or the
 * server shutting down or starting, 57P01–57P03) rather than that the statement was wrong: what is
 * worth trying again once it is back. Hibernate and the transaction manager wrap the driver's
 * exception, so the causes are searched.
 */
public final class DatabaseAway {
  private DatabaseAway() {}

  public static boolean in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }
}
