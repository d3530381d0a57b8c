package io.tether.session;

import java.sql.SQLException;
import java.time.Instant;

/** The session rows a node creates, discards and closes after a crash; blocking: workers only. */
interface SessionStore {
  /** A new live terminal session; answers its id. */
  long create(long deviceId, String target, String recording, Instant startedAt)
      throws SQLException;

  /** A session whose device refused the open never happened: its row goes. */
  void discard(long id) throws SQLException;

  /** Closes the sessions this node left live when it last stopped; answers how many. */
  int closeAbandoned() throws SQLException;
}
