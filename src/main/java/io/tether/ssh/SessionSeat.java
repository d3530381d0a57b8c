package io.tether.ssh;

import io.tether.session.Membership;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An SSH shell's place in a device target's session: a {@link Membership} of the hub on this node,
 * or a {@link RelayedSeat} in the hub on the node holding the device's tunnel.
 */
interface SessionSeat {
  void input(Buffer data);

  /** The SSH client's window is {@code cols} by {@code rows}. */
  void resize(int cols, int rows);

  /** A control message as the browser would send it; IllegalArgumentException when refused. */
  void control(String type, JsonObject msg);

  /** The shell left: the session ends with {@code reasonIfLast} if no one else is in it. */
  void leave(String reasonIfLast, String detail);

  /** Out of the session with a reason the shell is told (access revoked, idle). */
  void kick(String reason, String detail);

  static SessionSeat of(Membership m) {
    return new SessionSeat() {
      @Override
      public void input(Buffer data) {
        m.input(data);
      }

      @Override
      public void resize(int cols, int rows) {
        m.resize(cols, rows);
      }

      @Override
      public void control(String type, JsonObject msg) {
        m.control(type, msg);
      }

      @Override
      public void leave(String reasonIfLast, String detail) {
        m.leave(reasonIfLast, detail);
      }

      @Override
      public void kick(String reason, String detail) {
        m.kick(reason, detail);
      }
    };
  }
}
