package io.tether.session;

import io.tether.access.CredentialWatch;
import io.tether.access.Principal;
import io.tether.api.SendBudget;
import io.tether.net.Connections;
import io.tether.protocol.PeerText;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * One browser terminal: a participant of the target's session. Binary messages carry the raw byte
 * stream both ways; text messages carry JSON control (resize, pause/resume, serial settings,
 * sharing). The hub decides what input reaches the device and who gates its pace.
 */
final class TerminalSession implements ParticipantSink, Revocable, CredentialWatch.Holder {
  private static final Logger LOG = Logger.getLogger(TerminalSession.class);

  /** Columns and rows a resize may name: a terminal's size is a u16 in TIOCSWINSZ. */
  static final int MAX_TERMINAL_SIZE = io.tether.recording.RecordingFormat.MAX_TERMINAL_SIZE;

  private final ServerWebSocket ws;
  private final HttpConnection connection;
  private final Context context;
  private final JoinRequest who;
  private final TerminalRoute route;
  private final SendBudget queued = new SendBudget(SessionLimits.SOCKET_QUEUE_BYTES);
  private final RefusalThrottle refusals = new RefusalThrottle();

  /**
   * PINGs count like refusals: a browser cannot send any, other clients one every few seconds, so
   * more than {@link SessionLimits#MAX_REFUSALS_PER_SECOND} a second is a flood of answers.
   */
  private final RefusalThrottle pings = new RefusalThrottle();

  private Membership membership;

  /** The browser's terminal size as it last said; 0 until it says. */
  private int cols;

  private int rows;
  private boolean closed;
  private CredentialWatch.Watch watch;
  private long lastTouch = System.nanoTime();

  TerminalSession(
      ServerWebSocket ws,
      HttpConnection connection,
      Context context,
      JoinRequest who,
      TerminalRoute route) {
    this.ws = ws;
    this.connection = connection;
    this.context = context;
    this.who = who;
    this.route = route;
  }

  @Override
  public JoinRequest who() {
    return who;
  }

  @Override
  public Principal principal() {
    return who.principal();
  }

  void start() {
    ws.textMessageHandler(this::onControl);
    ws.binaryMessageHandler(this::onInput);
    ws.closeHandler(v -> left());
    watch = route.credentials().watch(this);
    watchPings();
    route.hubs().join(who, this);
  }

  // --- the credential behind the socket ---

  @Override
  public void expiring(Instant at) {
    control(new ControlMessage.Expiring(at));
  }

  @Override
  public void expired(String reason) {
    if (membership != null) {
      membership.kick(CloseCode.CREDENTIAL_EXPIRED, CloseReasons.CREDENTIAL_EXPIRED, reason);
    } else {
      closed(CloseCode.CREDENTIAL_EXPIRED, reason);
    }
  }

  /** Typing and control messages are activity: the browser session does not idle out. */
  private void active() {
    long now = System.nanoTime();
    // at most as often as requests refresh the session (a tenth of the idle timeout, ≤ 1 min)
    if (now - lastTouch >= route.touchIntervalNanos()) {
      lastTouch = now;
      route.touch(who.principal());
    }
  }

  @Override
  public void joined(Membership m) {
    membership = m;
    if (cols > 0) {
      m.resize(cols, rows); // the size it said before it was in
    }
    if (closed) {
      m.leave(CloseReasons.CLOSED_BY_USER, "the browser closed the terminal");
    }
  }

  private void left() {
    if (closed) {
      return;
    }
    closed = true;
    stopWatch();
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
            closed(CloseCode.NORMAL, CloseReasons.ACCESS_REVOKED, detail);
          }
        });
  }

  // --- from the browser ---

  private void onInput(Buffer data) {
    active();
    if (membership != null && !closed) {
      membership.input(data);
    }
  }

  /**
   * A control message from the browser. Whatever it holds, a bad one is answered with one {@code
   * error} message and a debug line: a client can neither fill the log nor break the socket.
   */
  private void onControl(String text) {
    active();
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
        cols = ControlFields.integer(msg, "cols", 1, MAX_TERMINAL_SIZE, 80);
        rows = ControlFields.integer(msg, "rows", 1, MAX_TERMINAL_SIZE, 24);
        if (membership != null) {
          membership.resize(cols, rows);
        }
        control(new ControlMessage.Resized(cols, rows));
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
    control(new ControlMessage.Error(detail));
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
    int n = data.length();
    if (!queued.take(n)) {
      notReading();
      return Future.succeededFuture();
    }
    return ws.writeBinaryMessage(data).onComplete(r -> queued.give(n));
  }

  @Override
  public void control(ControlMessage message) {
    if (ws.isClosed()) {
      return;
    }
    if (message instanceof ControlMessage.Refusal) {
      RefusalThrottle.Verdict verdict = refusals.offer(System.nanoTime());
      if (verdict == RefusalThrottle.Verdict.FLOOD) {
        drop(CloseCode.INPUT_FLOOD, "more refused messages than a person sends: closed");
        return;
      }
      if (verdict == RefusalThrottle.Verdict.DROP) {
        return; // one notice a second says it; more would only queue
      }
    }
    String text = message.json().encode();
    int n = text.length();
    if (!queued.take(n)) {
      notReading();
      return;
    }
    ws.writeTextMessage(text).onComplete(r -> queued.give(n));
  }

  /**
   * Vert.x answers a client's PINGs itself, outside the budget: more than 100 a second is a flood,
   * and the socket's own write queue, its high-water mark at the same bound, catches a client that
   * pings slower but does not read.
   */
  private void watchPings() {
    ws.setWriteQueueMaxSize((int) SessionLimits.SOCKET_QUEUE_BYTES);
    ws.frameHandler(
        f -> {
          if (!f.isPing() || ws.isClosed()) {
            return;
          }
          if (pings.offer(System.nanoTime()) == RefusalThrottle.Verdict.FLOOD) {
            ws.pause(); // Vert.x answers every PING it reads: stop reading
            drop(CloseCode.PING_FLOOD, "more PINGs than any client needs: closed");
          } else if (ws.writeQueueFull()) {
            ws.pause();
            notReading();
          }
        });
  }

  /** The socket's queue passed its bound: the browser stopped reading. */
  private void notReading() {
    drop(
        CloseCode.SLOW_CONSUMER,
        "more than " + SessionLimits.SOCKET_QUEUE_BYTES / 1024 + " KiB waiting unread: closed");
  }

  /**
   * This socket ends itself (it floods, or does not read): out of the session, told why (a client
   * that reads gets the close frame), and the connection closed at once.
   */
  private void drop(CloseCode code, String detail) {
    String reason = code.label();
    context.runOnContext(
        v -> {
          if (closed) {
            return;
          }
          closed = true;
          ws.pause(); // nothing it sends matters now, and PINGs read would still be answered
          route.ended(this);
          if (membership != null) {
            membership.leave(CloseReasons.CLOSED_BY_USER, "the last participant was " + reason);
          }
          if (!ws.isClosed()) {
            String full = reason + ": " + detail;
            if (!queued.exhausted()) {
              ws.writeTextMessage(new ControlMessage.Closed(reason, full).json().encode());
            }
            ws.close((short) code.code(), PeerText.closeReason(full));
          }
          // a client that does not read would never let the close frame through, nor answer it:
          // end the connection now, which also drops what waits in its queue
          Connections.abort(connection);
        });
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
  public void closed(CloseCode code, String reason, String detail) {
    context.runOnContext(
        v -> {
          closed = true;
          stopWatch();
          route.ended(this);
          String full = detail == null || detail.isEmpty() ? reason : reason + ": " + detail;
          control(new ControlMessage.Closed(reason, full));
          if (!ws.isClosed()) {
            ws.close((short) code.code(), PeerText.closeReason(full));
          }
        });
  }

  private void stopWatch() {
    if (watch != null) {
      watch.cancel();
    }
  }
}
