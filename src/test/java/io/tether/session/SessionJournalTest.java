package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures make the journal wait for the database instead of giving a batch up. */
class SessionJournalTest {
  @Test
  void aDatabaseThatCannotBeReachedOrIsRestartingIsWaitedFor() {
    assertTrue(SessionJournal.unreachable(new SQLException("refused", "08001")));
    assertTrue(SessionJournal.unreachable(new SQLException("I/O error", "08006")));
    assertTrue(SessionJournal.unreachable(new SQLException("admin shutdown", "57P01")));
    assertTrue(SessionJournal.unreachable(new SQLException("starting up", "57P03")));
    assertTrue(
        SessionJournal.unreachable(
            new SQLException("pool", null, new SQLException("closed", "08003"))),
        "a cause says so too");
  }

  @Test
  void aWrongEntryIsNotWaitedFor() {
    assertFalse(SessionJournal.unreachable(new SQLException("duplicate key", "23505")));
    assertFalse(SessionJournal.unreachable(new SQLException("no state")));
  }
}
