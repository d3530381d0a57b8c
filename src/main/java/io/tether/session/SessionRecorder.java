package io.tether.session;

import io.tether.recording.RecordingFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Records one session's bytes with direction and time into chunks for the journal, on the hub's
 * context. It never blocks the hub: sealed chunks wait in a bounded backlog while the database is
 * behind; past that the overflow policy applies — {@code gap} drops bytes and records how many,
 * {@code end} ends the session. Past the per-session size cap, bytes are counted, not stored, and a
 * final gap says how many.
 */
final class SessionRecorder {
  /** What to do when the database cannot keep up. */
  enum Overflow {
    GAP,
    END
  }

  private final boolean input;
  private final long maxBytes;
  private final Overflow overflow;
  private final long sealAfterMicros;
  private final long startNanos = System.nanoTime();
  private final RecordingFormat.ChunkWriter writer = new RecordingFormat.ChunkWriter();
  private final ArrayDeque<JournalEntry.Chunk> backlog = new ArrayDeque<>();
  private long backlogBytes;
  private long recorded;
  private long unrecorded;
  private long cappedBytes;
  private int gaps;
  private int nextSeq = 1;

  /** Added to this recorder's own clock: the session's age when this hub started (a resume). */
  private long shiftMicros;

  /**
   * @param policy {@code output} or {@code all} (keystrokes too)
   * @param sealAfterMicros a chunk older than this is sealed at the next tick
   */
  SessionRecorder(String policy, long maxBytes, Overflow overflow, long sealAfterMicros) {
    this.input = "all".equals(policy);
    this.maxBytes = maxBytes;
    this.overflow = overflow;
    this.sealAfterMicros = sealAfterMicros;
  }

  /** Bytes from the device; false when the session must end (overflow policy {@code end}). */
  boolean output(byte[] data) {
    return output(data, 0, data.length);
  }

  boolean output(byte[] data, int off, int len) {
    long now = admit(len);
    if (now < 0) {
      return now == COUNTED;
    }
    writer.output(now, data, off, len);
    return written(len);
  }

  /** Bytes from the device while a file transfer runs: kept for the raw export only. */
  boolean transfer(byte[] data, int off, int len) {
    long now = admit(len);
    if (now < 0) {
      return now == COUNTED;
    }
    writer.transfer(now, data, off, len);
    return written(len);
  }

  /** A note of the portal's (a file transfer) where the replay and exports show it. */
  boolean note(String text) {
    int len = text.getBytes(StandardCharsets.UTF_8).length;
    long now = admit(len);
    if (now < 0) {
      return now == COUNTED;
    }
    writer.note(now, text);
    return written(len);
  }

  /** The controller's terminal size: its replay is drawn at that size. */
  boolean resize(int cols, int rows) {
    long now = admit(0);
    if (now < 0) {
      return now == COUNTED;
    }
    writer.resize(now, cols, rows);
    return written(0);
  }

  /** Bytes to the device, recorded only under the policy {@code all}. */
  boolean input(byte[] data) {
    return input(data, 0, data.length);
  }

  boolean input(byte[] data, int off, int len) {
    if (!input) {
      return true;
    }
    long now = admit(len);
    if (now < 0) {
      return now == COUNTED;
    }
    writer.input(now, data, off, len);
    return written(len);
  }

  /** {@link #admit}: the event's bytes were only counted (past the cap, or a gap); go on. */
  private static final long COUNTED = -1;

  /** {@link #admit}: the database is behind and the policy ends the session. */
  private static final long OVERFLOW = -2;

  /**
   * Whether an event of {@code len} bytes goes into the chunk: its time (a gap of dropped bytes
   * written first), or {@link #COUNTED} / {@link #OVERFLOW}. The caller writes it, then calls
   * {@link #written}. (No callback per event: this runs for every read of device output.)
   */
  private long admit(int len) {
    if (recorded >= maxBytes) {
      cappedBytes += len;
      return COUNTED;
    }
    if (backlogBytes >= SessionLimits.RECORDER_BACKLOG_BYTES) {
      if (overflow == Overflow.END) {
        return OVERFLOW;
      }
      unrecorded += len;
      return COUNTED;
    }
    long now = micros();
    if (unrecorded > 0) {
      writer.gap(now, unrecorded);
      gaps++;
      unrecorded = 0;
    }
    return now;
  }

  /**
   * An admitted event of {@code len} bytes is in the chunk: counted, and the chunk sealed if full.
   */
  private boolean written(int len) {
    recorded += len;
    if (writer.size() >= SessionLimits.CHUNK_BYTES) {
      seal();
    }
    return true;
  }

  /**
   * Hands sealed chunks to the journal at once (a fast stream seals many between two ticks, and the
   * backlog's bound would turn them into gaps); cheap when nothing is sealed.
   */
  void handOver(long sessionId, Journal journal) {
    if (!backlog.isEmpty()) {
      drain(sessionId, journal);
    }
  }

  /** Seals a chunk that is old enough and hands the backlog to the journal if the id is known. */
  void tick(long sessionId, Journal journal) {
    if (!writer.isEmpty() && micros() - writer.firstMicros() >= sealAfterMicros) {
      seal();
    }
    drain(sessionId, journal);
  }

  /** The session ended: everything left, with a final gap for bytes past the cap or dropped. */
  void finish(long sessionId, Journal journal) {
    long lost = cappedBytes + unrecorded;
    if (lost > 0) {
      writer.gap(micros(), lost);
      gaps++;
      cappedBytes = 0;
      unrecorded = 0;
    }
    if (!writer.isEmpty()) {
      seal();
    }
    drain(sessionId, journal);
    if (!backlog.isEmpty()) {
      gaps++;
      backlog.clear();
    }
  }

  /**
   * The session moved here from a drained node: its recording goes on after that node's chunks, on
   * the session's clock, behind a gap of no lost bytes that marks the move. What this hub recorded
   * before it knew is re-timed onto that clock.
   */
  void resume(SessionResume from) {
    if (!writer.isEmpty()) {
      seal();
    }
    java.util.List<JournalEntry.Chunk> early = java.util.List.copyOf(backlog);
    backlog.clear();
    backlogBytes = 0;
    shiftMicros = Math.max(0, from.elapsedMicros() - (System.nanoTime() - startNanos) / 1000);
    nextSeq = from.lastChunkSeq() + 1;
    writer.gap(shiftMicros, 0);
    for (JournalEntry.Chunk c : early) {
      for (RecordingFormat.Event e : RecordingFormat.decode(c.data())) {
        long at = e.atMicros() + shiftMicros;
        switch (e.kind()) {
          case OUTPUT -> writer.output(at, e.data(), 0, e.data().length);
          case INPUT -> writer.input(at, e.data(), 0, e.data().length);
          case GAP -> writer.gap(at, e.gapBytes());
          case NOTE -> writer.note(at, e.text());
          case TRANSFER -> writer.transfer(at, e.data(), 0, e.data().length);
          case RESIZE -> {
            String[] size = e.text().split("x");
            writer.resize(at, Integer.parseInt(size[0]), Integer.parseInt(size[1]));
          }
        }
        if (writer.size() >= SessionLimits.CHUNK_BYTES) {
          seal();
        }
      }
    }
    recorded += from.recordingBytes();
    gaps += from.recordingGaps() + 1;
  }

  long recordedBytes() {
    return recorded;
  }

  int gaps() {
    return gaps;
  }

  private void seal() {
    long first = writer.firstMicros();
    byte[] data = writer.seal();
    backlog.add(new JournalEntry.Chunk(0, nextSeq++, first, data));
    backlogBytes += data.length;
  }

  private void drain(long sessionId, Journal journal) {
    if (sessionId <= 0) {
      return; // the session row is not written yet
    }
    while (!backlog.isEmpty()) {
      JournalEntry.Chunk c = backlog.peekFirst();
      JournalEntry.Chunk addressed =
          new JournalEntry.Chunk(sessionId, c.seq(), c.firstMicros(), c.data());
      if (!journal.offerChunk(addressed)) {
        return;
      }
      backlog.removeFirst();
      backlogBytes -= c.data().length;
    }
  }

  private long micros() {
    return (System.nanoTime() - startNanos) / 1000 + shiftMicros;
  }
}
