package io.tether.consolelog;

import java.time.Instant;

/**
 * A piece of a target's console log on its way to the store: output bytes read between {@code at}
 * and {@code until}, or a marker ({@code data} null) saying where logging started, stopped or lost
 * bytes.
 *
 * @param dropped bytes the device printed just before this chunk that were not stored
 * @param note a marker's text, else null
 */
record LogChunk(
    long deviceId,
    String target,
    Instant at,
    Instant until,
    byte[] data,
    long dropped,
    String note) {
  /** What a marker or a chunk's row costs beyond its bytes, counted against the queue's bound. */
  static final int ROW_OVERHEAD = 256;

  static LogChunk marker(long deviceId, String target, Instant at, long dropped, String note) {
    return new LogChunk(deviceId, target, at, at, null, dropped, note);
  }

  /** Bytes this chunk holds while it waits, for the writer's bound. */
  long weight() {
    return ROW_OVERHEAD + (data == null ? 0 : data.length);
  }

  String key() {
    return deviceId + "/" + target;
  }
}
