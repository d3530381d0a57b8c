package io.tether.ssh;

import io.tether.protocol.PeerText;
import io.tether.session.CloseCode;
import io.tether.session.ControlMessage;
import io.tether.session.ParticipantSink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

/**
 * An SSH shell's seat in a session held by another node: the shell speaks the browser terminal's
 * protocol over a relayed socket to the node with the device's tunnel, which serves it like any
 * terminal (its own access checks, its session hub, {@code via ssh}). Device bytes go to the shell
 * with the socket paused while more than {@link #MAX_UNWRITTEN} wait for the SSH client, so a slow
 * client paces the session as a browser does; typed bytes stop being read while the socket's write
 * queue is full. Runs on the shell's context.
 */
final class RelayedSeat implements SessionSeat {
  private static final Logger LOG = Logger.getLogger(RelayedSeat.class);

  /** Device bytes handed to the SSH channel and not yet written, before the socket is paused. */
  static final int MAX_UNWRITTEN = 64 * 1024;

  private final WebSocket ws;
  private final ParticipantSink shell;
  private long unwritten;
  private boolean paused;
  private boolean leaving;
  private ControlMessage.Closed closing;

  private RelayedSeat(WebSocket ws, ParticipantSink shell) {
    this.ws = ws;
    this.shell = shell;
  }

  /** Takes over {@code ws}, just opened to the owner node, for {@code shell}. */
  static RelayedSeat start(WebSocket ws, ParticipantSink shell) {
    RelayedSeat seat = new RelayedSeat(ws, shell);
    ws.binaryMessageHandler(seat::fromDevice);
    ws.textMessageHandler(seat::fromPortal);
    ws.exceptionHandler(e -> LOG.debugf("relayed SSH session: %s", e));
    ws.closeHandler(v -> seat.ended());
    ws.drainHandler(v -> shell.resumeInput());
    return seat;
  }

  private void fromDevice(Buffer data) {
    int n = data.length();
    unwritten += n;
    if (unwritten > MAX_UNWRITTEN && !paused) {
      paused = true;
      ws.pause();
    }
    shell
        .write(data)
        .onComplete(
            r -> {
              unwritten -= n;
              if (paused && unwritten <= MAX_UNWRITTEN / 2) {
                paused = false;
                ws.resume();
              }
            });
  }

  private void fromPortal(String text) {
    JsonObject msg;
    try {
      msg = new JsonObject(text);
    } catch (RuntimeException e) {
      return; // the owner writes JSON; nothing else is worth a line
    }
    ControlMessage.read(msg)
        .ifPresent(
            m -> {
              if (m instanceof ControlMessage.Closed c) {
                closing = c; // the close frame follows: told then, with its code
              } else {
                shell.control(m);
              }
            });
  }

  /** The owner closed the socket (the session ended, access went, the node stopped). */
  private void ended() {
    if (leaving) {
      return;
    }
    leaving = true;
    Short status = ws.closeStatusCode();
    CloseCode code = codeOf(status == null ? 1006 : status);
    if (closing != null) {
      String label = closing.code();
      String reason = closing.reason();
      String detail = reason.startsWith(label + ": ") ? reason.substring(label.length() + 2) : "";
      shell.closed(code, label, detail);
    } else if (status != null && status == CloseCode.NORMAL.code()) {
      shell.closed(CloseCode.NORMAL, "closed", ws.closeReason());
    } else {
      shell.closed(
          CloseCode.GOING_AWAY,
          "relay-lost",
          "the portal node holding the device closed the connection");
    }
  }

  private static CloseCode codeOf(int status) {
    for (CloseCode c : CloseCode.values()) {
      if (c.code() == status) {
        return c;
      }
    }
    return CloseCode.GOING_AWAY;
  }

  @Override
  public void input(Buffer data) {
    if (leaving) {
      return;
    }
    ws.writeBinaryMessage(data);
    if (ws.writeQueueFull()) {
      shell.pauseInput(); // resumed by the drain handler
    }
  }

  @Override
  public void resize(int cols, int rows) {
    control("resize", new JsonObject().put("cols", cols).put("rows", rows));
  }

  @Override
  public void control(String type, JsonObject msg) {
    if (!leaving) {
      ws.writeTextMessage(msg.copy().put("type", type).encode());
    }
  }

  @Override
  public void leave(String reasonIfLast, String detail) {
    if (!leaving) {
      leaving = true;
      ws.close((short) CloseCode.NORMAL.code(), PeerText.closeReason(detail));
    }
  }

  @Override
  public void kick(String reason, String detail) {
    if (!leaving) {
      leaving = true;
      shell.closed(CloseCode.NORMAL, reason, detail);
      ws.close((short) CloseCode.NORMAL.code(), PeerText.closeReason(reason + ": " + detail));
    }
  }
}
