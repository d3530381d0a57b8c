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

  /**
   * Bytes one terminal or data flow socket may have queued and unwritten before its client counts
   * as not reading and is closed (4408): four times what a session itself holds for a socket (a 256
   * KiB credit window or observer buffer, plus the 64 KiB replay of recent output), so only a
   * client that stops reading while it keeps sending (answers pile up) reaches it.
   */
  static final long SOCKET_QUEUE_BYTES = 1024 * 1024;

  /**
   * Refusals ({@code input-refused}, {@code error}) of one participant within a second beyond which
   * it is flooding and closed (4429): the web UI keeps an observer's keys and sends none, and a key
   * held down repeats about 30 times a second.
   */
  static final int MAX_REFUSALS_PER_SECOND = 100;

  /**
   * Refusal notices one participant may get at once before they are cut to one a second: a script's
   * batch of bad control messages gets an answer each, a key held down as observer a handful, and
   * what may queue for a client that does not read stays a few KiB.
   */
  static final int REFUSAL_NOTICE_BURST = 20;

  private SessionLimits() {}
}
