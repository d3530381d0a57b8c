package io.tether.wsclient;

/**
 * The encoded frames a {@link FrameSocket} has accepted but not yet handed to the socket, in the
 * order they should go out. The seam for a scheduler that lets a small frame overtake queued bulk
 * frames: the socket pulls at most one write batch ahead of what the kernel accepted, so whatever
 * this returns next is what goes next. Implementations need not be thread-safe: the socket guards
 * every call with its own lock.
 */
public interface Outbox {
  /** A Tether frame, encoded as one message (not yet WebSocket-framed or masked). */
  void add(byte[] encodedFrame);

  /** The next frame to write, or null when empty. */
  byte[] poll();

  boolean isEmpty();

  /** The bytes of all frames held: what senders can watch to see the socket falling behind. */
  long bytes();

  /** Drops everything (the socket closed). */
  default void clear() {
    while (poll() != null) {
      // dropping
    }
  }
}
