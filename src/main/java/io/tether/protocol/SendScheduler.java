package io.tether.protocol;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The order in which one sender writes the frames of many channels to one socket: priority by
 * behaviour, not by type, and a local rule (no frame field; v1 peers need nothing new).
 *
 * <ul>
 *   <li>Frames that belong to no channel's byte stream (channel 0, CREDIT for the other direction)
 *       go first, in the order queued.
 *   <li>Every other frame keeps its place in its channel's lane (LINE, EOF and CLOSE never pass the
 *       DATA queued before them).
 *   <li>A lane whose channel is {@linkplain SendActivity#quiet quiet} goes ahead of the others: a
 *       keystroke waits behind no more than the frame being written.
 *   <li>The other lanes share by deficit round robin, a quantum of one slice and its header per
 *       turn, so bulk channels share fairly whatever their frame sizes, and quiet lanes, which stop
 *       being quiet once they send much, never starve them.
 * </ul>
 *
 * Not thread-safe: its owner serialises the calls. Times are nanoseconds from the owner's clock.
 *
 * @param <F> the frame as the owner holds it (bytes, a buffer)
 */
public final class SendScheduler<F> {
  /** A bulk lane's turn: one full DATA slice with its header. */
  static final int QUANTUM = ProtocolLimits.DATA_SLICE + ProtocolLimits.HEADER_SIZE;

  /** Polls between sweeps of idle lanes: rare enough to cost nothing per frame. */
  static final int SWEEP_EVERY = 1024;

  private record Queued<F>(F frame, int length) {}

  private static final class Lane<F> {
    final int channel;
    final ArrayDeque<Queued<F>> frames = new ArrayDeque<>();
    final SendActivity activity = new SendActivity();
    long deficit;

    Lane(int channel) {
      this.channel = channel;
    }
  }

  private final ArrayDeque<Queued<F>> first = new ArrayDeque<>();
  private final Map<Integer, Lane<F>> lanes = new HashMap<>();
  private final ArrayDeque<Lane<F>> ready = new ArrayDeque<>();
  private Lane<F> turn;
  private long bytes;
  private int pollsSinceSweep;

  /**
   * Queues a frame of {@code length} bytes. {@code channel} 0 (and a CREDIT frame) goes first;
   * others join their channel's lane.
   */
  public void add(FrameType type, int channel, F frame, int length) {
    Queued<F> q = new Queued<>(frame, length);
    bytes += length;
    if (channel == 0 || type == FrameType.CREDIT) {
      first.addLast(q);
      return;
    }
    Lane<F> lane = lanes.computeIfAbsent(channel, Lane::new);
    if (lane.frames.isEmpty()) {
      ready.addLast(lane);
    }
    lane.frames.addLast(q);
  }

  /** The next frame to write, or null when none waits. */
  public F poll(long now) {
    if (++pollsSinceSweep >= SWEEP_EVERY) {
      sweep(now);
    }
    Queued<F> q = first.pollFirst();
    if (q == null) {
      Lane<F> lane = firstQuiet(now);
      q = lane != null ? take(lane, now) : nextBulk(now);
    }
    if (q == null) {
      return null;
    }
    bytes -= q.length();
    return q.frame();
  }

  public boolean isEmpty() {
    return bytes == 0 && first.isEmpty() && ready.isEmpty();
  }

  /** Bytes queued. */
  public long bytes() {
    return bytes;
  }

  /** Lanes the scheduler knows (for tests: closed channels' lanes do not pile up). */
  int lanes() {
    return lanes.size();
  }

  /**
   * Drops lanes that are empty and quiet: a new lane for the same channel would behave the same,
   * and a closed channel's lane must not stay for the life of the socket.
   */
  private void sweep(long now) {
    pollsSinceSweep = 0;
    lanes.values().removeIf(lane -> lane.frames.isEmpty() && lane.activity.quiet(now));
  }

  private Lane<F> firstQuiet(long now) {
    for (Lane<F> lane : ready) {
      if (lane.activity.quiet(now)) {
        return lane;
      }
    }
    return null;
  }

  /** Deficit round robin over the ready lanes. */
  private Queued<F> nextBulk(long now) {
    while (!ready.isEmpty()) {
      if (turn == null) {
        turn = ready.peekFirst();
        turn.deficit += QUANTUM;
      }
      Queued<F> head = turn.frames.peekFirst();
      if (head != null && turn.deficit >= head.length()) {
        turn.deficit -= head.length();
        return take(turn, now);
      }
      // the turn is over: to the back of the line, keeping what it did not use
      ready.pollFirst();
      ready.addLast(turn);
      turn = null;
    }
    return null;
  }

  private Queued<F> take(Lane<F> lane, long now) {
    Queued<F> q = lane.frames.pollFirst();
    lane.activity.sent(q.length(), now);
    if (lane.frames.isEmpty()) {
      removeReady(lane);
      lane.deficit = 0;
      if (turn == lane) {
        turn = null;
      }
    }
    return q;
  }

  private void removeReady(Lane<F> lane) {
    for (Iterator<Lane<F>> it = ready.iterator(); it.hasNext(); ) {
      if (it.next() == lane) {
        it.remove();
        return;
      }
    }
  }
}
