package io.tether.consolelog;

/** The bounds of console logging, named. */
final class ConsoleLogLimits {
  private ConsoleLogLimits() {}

  /** A logger hands its bytes to the store in chunks of at most this size... */
  static final int CHUNK_BYTES = 64 * 1024;

  /** ...or after this long, whichever comes first. */
  static final long FLUSH_MILLIS = 1000;

  /**
   * Bytes a node holds for the store: beyond it loggers drop bytes into a marked gap rather than
   * slow their devices down.
   */
  static final long QUEUE_BYTES = 8L * 1024 * 1024;

  /** Markers (start, stop, loss) may go this far beyond {@link #QUEUE_BYTES}. */
  static final long MARKER_RESERVE = 64 * 1024;

  /** A decoded line longer than this is broken in two, for rules and readers alike. */
  static final int MAX_LINE_CHARS = 4096;

  /** Chunks written to the database in one transaction. */
  static final int BATCH_CHUNKS = 128;

  /** How often each node compares the loggers it runs with the targets it should log. */
  static final long RECONCILE_MILLIS = 3000;
}
