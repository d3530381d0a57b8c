package io.tether.session;

import io.vertx.core.buffer.Buffer;

/**
 * A passive watcher of a device target's traffic (View Data Flow); never part of a session, but
 * listed in its roster as a watcher.
 */
interface FlowTap {
  /** Which way bytes went; the wire byte of the data flow socket. */
  enum Direction {
    FROM_DEVICE(1),
    TO_DEVICE(2);

    final int wire;

    Direction(int wire) {
      this.wire = wire;
    }
  }

  /** Who watches. */
  JoinRequest who();

  /** This watcher's number on this node; its roster id is {@code "w" + watcherId()}. */
  long watcherId();

  /** Whether this watcher may see keystrokes: they may hold passwords, so the replay right. */
  default boolean seesInput() {
    return who().mayReplay();
  }

  /** Traffic of the live session; called on the hub's context, must not block. */
  void traffic(Direction direction, Buffer data);

  /** A session started (id, when known) or ended (null). */
  void session(Long sessionId);
}
