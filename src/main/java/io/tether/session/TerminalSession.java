package io.tether.session;

import io.tether.access.Principal;
import io.tether.protocol.PeerText;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

/**
 * One browser terminal: a participant of the target's session. Binary messages carry the raw byte
 * stream both ways; text messages carry JSON control (resize, pause/resume, serial settings,
 * sharing). The hub decides what input reaches the device and who gates its pace.
 */
final class TerminalSession implements ParticipantSink, Revocable {
  private static final Logger LOG = Logger.getLogger(TerminalSession.class);

  /** Columns and rows a resize may name: a terminal's size is a u16 in TIOCSWINSZ. */
  static final int MAX_TERMINAL_SIZE = 0xFFFF;

  private final ServerWebSocket ws;
  private final Context context;
  private final JoinRequest who;
  private final TerminalRoute route;
  private Membership membership;
  private boolean closed;

  TerminalSession(ServerWebSocket ws, Context context, JoinRequest who, TerminalRoute route) {
    this.ws = ws;
    this.context = context;
    this.who = who;
    this.route = route;
  }

  @Override
  public JoinRequest who() {
    return who;
  }

  Principal principal() {
    return who.principal();
  }

  void start() {
    ws.textMessageHandler(this::onControl);
    ws.binaryMessageHandler(this::onInput);
    ws.closeHandler(v -> left());
    route.hubs().join(who, this);
  }

  @Override
  public void joined(Membership m) {
    membership = m;
    if (closed) {
      m.leave(CloseReasons.CLOSED_BY_USER, "the browser closed the terminal");
    }
  }

  private void left() {
    if (closed) {
      return;
    }
    closed = true;
    route.ended(this);
    if (membership != null) {
      membership.leave(CloseReasons.CLOSED_BY_USER, "the last participant closed the terminal");
    }
  }

  @Override
  public void revoke(String detail) {
    context.runOnContext(
        v -> {
          if (membership != null) {
            membership.kick(CloseReasons.ACCESS_REVOKED, detail);
          } else {
            closed(1000, CloseReasons.ACCESS_REVOKED, detail);
          }
        });
  }

  // --- from the browser ---

  private void onInput(Buffer data) {
    if (membership != null && !closed) {
      membership.input(data);
    }
  }

  /**
   * A control message from the browser. Whatever it holds, a bad one is answered with one {@code
   * error} message and a debug line: a client can neither fill the log nor break the socket.
   */
  private void onControl(String text) {
    JsonObject msg;
    try {
      msg = new JsonObject(text);
    } catch (RuntimeException e) {
      refuse("control messages are JSON objects");
      return;
    }
    try {
      String type = ControlFields.string(msg, "type", "");
      if (type.equals("resize")) {
        control(
            new JsonObject()
                .put("type", "resized")
                .put("cols", ControlFields.integer(msg, "cols", 1, MAX_TERMINAL_SIZE, 80))
                .put("rows", ControlFields.integer(msg, "rows", 1, MAX_TERMINAL_SIZE, 24)));
      } else if (membership == null) {
        refuse("the session is not ready yet");
      } else {
        membership.control(type, msg);
      }
    } catch (IllegalArgumentException e) {
      refuse(e.getMessage());
    }
  }

  private void refuse(String detail) {
    LOG.debugf("control message of %s refused: %s", who.username(), detail);
    error(detail);
  }

  private void error(String detail) {
    control(new JsonObject().put("type", "error").put("detail", detail));
  }

  // --- ParticipantSink ---

  @Override
  public Context context() {
    return context;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (ws.isClosed()) {
      return Future.succeededFuture();
    }
    return ws.writeBinaryMessage(data);
  }

  @Override
  public void control(JsonObject message) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(message.encode());
    }
  }

  @Override
  public void pauseInput() {
    context.runOnContext(v -> ws.pause());
  }

  @Override
  public void resumeInput() {
    context.runOnContext(v -> ws.resume());
  }

  @Override
  public void closed(int socketCode, String reason, String detail) {
    context.runOnContext(
        v -> {
          closed = true;
          route.ended(this);
          String full = detail == null || detail.isEmpty() ? reason : reason + ": " + detail;
          control(new JsonObject().put("type", "closed").put("code", reason).put("reason", full));
          if (!ws.isClosed()) {
            ws.close((short) socketCode, PeerText.closeReason(full));
          }
        });
  }
}
