package io.tether.session;

/** Bounds of a live session, each with its reason. */
final class SessionLimits {
  /** Recent output a late joiner or a resynchronised observer gets: a few screens of a console. */
  static final int RING_BYTES = 64 * 1024;

  /**
   * Bytes an observer's socket may have unwritten before it is marked lagging: observers never slow
   * the device, so one that cannot keep up skips output and is resynchronised from the ring.
   */
  static final long OBSERVER_BUFFER_BYTES = 256 * 1024;

  /** A recording chunk is sealed at this size (one PostgreSQL row). */
  static final int CHUNK_BYTES = 64 * 1024;

  /**
   * Sealed chunks a recorder holds while the database is behind; beyond this its overflow policy
   * applies (gap or end), so a slow database cannot grow memory without bound.
   */
  static final long RECORDER_BACKLOG_BYTES = 1024 * 1024;

  /** Participants of one session: a console shared by more than this is a broadcast. */
  static final int MAX_PARTICIPANTS = 32;

  private SessionLimits() {}
}
