package io.tether.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A failure says the database is away by its SQLSTATE, however deep the driver's exception is. */
class DatabaseAwayTest {
  @Test
  void aConnectionFailureWrappedByHibernateAndTheTransactionManagerSaysTheDatabaseIsAway() {
    SQLException io =
        new SQLException("An I/O error occurred while sending to the backend", "08006");
    assertTrue(
        DatabaseAway.in(new RuntimeException("rollback", new IllegalStateException("JDBC", io))));
  }

  @Test
  void aServerShuttingDownOrStartingIsAway() {
    assertTrue(DatabaseAway.in(new SQLException("terminating connection", "57P01")));
    assertTrue(DatabaseAway.in(new SQLException("the database system is starting up", "57P03")));
  }

  @Test
  void thePoolMakingNoConnectionWithinItsAcquisitionTimeoutIsAway() {
    SQLException agroal =
        new SQLException(
            "Acquisition timeout while waiting for new connection",
            new java.util.concurrent.TimeoutException());
    assertTrue(
        DatabaseAway.in(new IllegalStateException("Unable to acquire JDBC Connection", agroal)));
  }

  @Test
  void aWrongStatementOrAnotherFailureIsNot() {
    assertFalse(DatabaseAway.in(new SQLException("duplicate key", "23505")));
    assertFalse(DatabaseAway.in(new IllegalStateException("no SQL at all")));
    assertFalse(DatabaseAway.in(new SQLException("no state")));
  }

  @Test
  void theWaitBeforeTryingAgainDoublesUpToItsBound() {
    assertEquals(
        Duration.ofSeconds(2),
        DatabaseAway.nextWait(DatabaseAway.RETRY_FIRST, DatabaseAway.RETRY_MAX));
    assertEquals(
        DatabaseAway.RETRY_MAX,
        DatabaseAway.nextWait(Duration.ofSeconds(16), DatabaseAway.RETRY_MAX));
    assertEquals(
        DatabaseAway.RETRY_MAX,
        DatabaseAway.nextWait(DatabaseAway.RETRY_MAX, DatabaseAway.RETRY_MAX));
  }
}
