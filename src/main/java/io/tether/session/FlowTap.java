package io.tether.session;

import io.vertx.core.buffer.Buffer;

/** A passive watcher of a device target's traffic (View Data Flow); never part of a session. */
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

  /** Whether this watcher may see keystrokes (it may operate the device). */
  boolean seesInput();

  /** Traffic of the live session; called on the hub's context, must not block. */
  void traffic(Direction direction, Buffer data);

  /** A session started (id, when known) or ended (null). */
  void session(Long sessionId);
}
