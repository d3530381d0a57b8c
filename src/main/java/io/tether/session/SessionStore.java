package io.tether.session;

import java.sql.SQLException;
import java.time.Instant;

/** The session rows a node creates, discards and closes after a crash; blocking: workers only. */
interface SessionStore {
  /** A new live terminal session; answers its id. */
  long create(long deviceId, String target, String recording, Instant startedAt)
      throws SQLException;

  /**
   * A moving session of the target (its node drained within the resume window) that a hub may claim
   * once its device answers; empty when there is none.
   */
  default java.util.OptionalLong resumable(long deviceId, String target) throws SQLException {
    return java.util.OptionalLong.empty();
  }

  /**
   * Claims moving session {@code id} for this node: live again, with what the drained node left;
   * empty when another node claimed it first or its window passed.
   */
  default java.util.Optional<SessionResume> claim(long id) throws SQLException {
    return java.util.Optional.empty();
  }

  /** A session whose device refused the open never happened: its row goes. */
  void discard(long id) throws SQLException;

  /** Closes the sessions this node left live when it last stopped; answers how many. */
  int closeAbandoned() throws SQLException;
}
