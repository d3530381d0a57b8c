package io.tether.session;

import java.util.Objects;

/** The recent output of a live session, handed to late joiners from a safe point. */
public final class OutputRing {
  // The last capacity bytes, from the earliest checkpoint inside them: a stream offset where
  // VtBoundary was at a safe point, so a joiner's terminal never starts inside an escape sequence
  // or a UTF-8 character. Synchronized: the session appends on its event loop while joiners take
  // snapshots on theirs; one uncontended lock per chunk, not per byte.

  /**
   * Bytes between checkpoints, at least: recording every safe point would cost a store per byte.
   * With NEWLINE_WAIT it bounds what a snapshot loses of the window (768 bytes, given safe points).
   */
  static final int CHECKPOINT_SPACING = 512;

  /**
   * How much further than the spacing to look for a newline before taking any safe point: a
   * snapshot that starts at a line start shows no half line at the top of the joiner's screen.
   */
  static final int NEWLINE_WAIT = 256;

  private final byte[] ring;
  private final VtBoundary boundary = new VtBoundary();

  /** Stream offsets of safe points, oldest first, circular. */
  private final long[] checkpoints;

  private int oldest;
  private int count;
  private long lastCheckpoint;
  private long total;

  public OutputRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    ring = new byte[capacity];
    // checkpoints are >= CHECKPOINT_SPACING apart, so this many always cover the whole window
    checkpoints = new long[capacity / CHECKPOINT_SPACING + 2];
    addCheckpoint(0); // the stream starts in the ground state
  }

  public synchronized void append(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    for (int i = 0; i < len; i++) {
      byte x = b[off + i];
      boundary.feed(x);
      long since = total + i + 1 - lastCheckpoint;
      if (since >= CHECKPOINT_SPACING
          && (x == '\n' || since >= CHECKPOINT_SPACING + NEWLINE_WAIT)
          && boundary.atSafePoint()) {
        addCheckpoint(total + i + 1);
      }
    }
    int keep = Math.min(len, ring.length);
    int at = (int) ((total + len - keep) % ring.length);
    int first = Math.min(keep, ring.length - at);
    System.arraycopy(b, off + len - keep, ring, at, first);
    System.arraycopy(b, off + len - keep + first, ring, 0, keep - first);
    total += len;
  }

  /**
   * The retained bytes from the earliest checkpoint still inside the window; empty when there is
   * none (the whole window is one long sequence, such as a sixel image).
   */
  public synchronized byte[] snapshot() {
    long windowStart = Math.max(0, total - ring.length);
    while (count > 0 && checkpoints[oldest] < windowStart) {
      oldest = (oldest + 1) % checkpoints.length;
      count--;
    }
    if (count == 0) {
      return new byte[0];
    }
    long from = checkpoints[oldest];
    byte[] out = new byte[(int) (total - from)];
    int at = (int) (from % ring.length);
    int first = Math.min(out.length, ring.length - at);
    System.arraycopy(ring, at, out, 0, first);
    System.arraycopy(ring, 0, out, first, out.length - first);
    return out;
  }

  /** Bytes ever appended. */
  public synchronized long total() {
    return total;
  }

  private void addCheckpoint(long offset) {
    if (count == checkpoints.length) {
      oldest = (oldest + 1) % checkpoints.length; // already outside the window (see constructor)
      count--;
    }
    checkpoints[(oldest + count) % checkpoints.length] = offset;
    count++;
    lastCheckpoint = offset;
  }
}
