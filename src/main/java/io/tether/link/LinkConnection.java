package io.tether.link;

import io.tether.session.CloseCode;
import io.tether.session.CloseReasons;
import io.tether.session.ControlMessage;
import io.tether.session.Membership;
import io.tether.session.ParticipantSink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Set;

/**
 * One host program connected to a link port (of this node, or of another relayed here): a session
 * participant whose bytes are the raw stream. Control messages have no channel to it; when it is
 * refused or the session ends, its connection closes.
 */
final class LinkConnection implements ParticipantSink {
  private final LinkClient socket;
  private final Context context;
  private final Set<LinkConnection> owner;
  private Membership membership;
  private boolean closed;

  /** Bytes the client sent with its PROXY header, read before it joined; passed on first. */
  private Buffer initial;

  LinkConnection(LinkClient socket, Buffer initial, Set<LinkConnection> owner) {
    this.socket = socket;
    this.initial = initial;
    this.context = Vertx.currentContext();
    this.owner = owner;
    socket.closeHandler(v -> clientClosed());
  }

  @Override
  public void joined(Membership m) {
    membership = m;
    if (closed) {
      // gone while its join was decided: it must not stay in the session (it may hold control)
      m.leave(CloseReasons.CLOSED_BY_USER, "the link client disconnected before it joined");
      return;
    }
    if (initial.length() > 0) {
      m.input(initial);
    }
    initial = null;
    socket.handler(m::input);
    socket.resume();
  }

  /** The client disconnected: it leaves its session, or never joins one. */
  private void clientClosed() {
    owner.remove(this);
    if (!closed) {
      closed = true;
      if (membership != null) {
        membership.leave(CloseReasons.CLOSED_BY_USER, "the link client disconnected");
      }
    }
  }

  /** The link went away under the client. */
  void kick(String detail) {
    context.runOnContext(
        v -> {
          if (membership != null) {
            membership.kick(CloseReasons.CLOSED_BY_USER, detail);
          } else {
            socket.close();
          }
        });
  }

  @Override
  public boolean replaysRecentOutput() {
    return false;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return socket.write(data);
  }

  @Override
  public void control(ControlMessage message) {
    // a byte stream has no room for control messages
  }

  @Override
  public void pauseInput() {
    context.runOnContext(v -> socket.pause());
  }

  @Override
  public void resumeInput() {
    context.runOnContext(v -> socket.resume());
  }

  @Override
  public void closed(CloseCode code, String reason, String detail) {
    context.runOnContext(
        v -> {
          closed = true;
          owner.remove(this);
          socket.close();
        });
  }
}
