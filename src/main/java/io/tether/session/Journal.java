package io.tether.session;

/**
 * Where a live session's rows go (participant spans, recording chunks, its end) without waiting:
 * {@link SessionJournal} in the portal.
 */
interface Journal {
  /** Queues a small entry (span, end); never refused. */
  void submit(JournalEntry entry);

  /** Queues a recording chunk; false when the database is too far behind. */
  boolean offerChunk(JournalEntry.Chunk chunk);

  /** Waits until everything queued so far is written; false when {@code timeout} passed first. */
  boolean awaitDrained(java.time.Duration timeout);
}
