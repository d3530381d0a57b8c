package io.tether.forward;

import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.tether.session.CloseCode;
import io.tether.session.CloseReasons;
import io.tether.session.ControlMessage;
import io.tether.session.JoinRequest;
import io.tether.session.Membership;
import io.tether.session.ParticipantSink;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A forwarded channel to a serial target as a participant of that target's session ({@code via
 * cli}, or {@code via ssh} for an SSH {@code direct-tcpip} channel), like a link client: the hub's
 * device channel reaches the {@link ForwardEnd} through {@link HubChannel}. A write completes when
 * the end took its bytes (the CLI granted credit, the SSH client's window took them), so the
 * controller's end gates the device's pace; a paused input withholds the end's credit. Runs on the
 * forward's context; the hub's calls are posted to it.
 */
final class ForwardParticipant implements ParticipantSink {
  private static final Logger LOG = Logger.getLogger(ForwardParticipant.class);

  private final JoinRequest who;
  private final ForwardEnd bridge;
  private final Context context;
  private final HubChannel channel = new HubChannel();
  private final Set<Promise<Void>> unwritten = new LinkedHashSet<>();
  private Membership membership;
  private boolean live;
  private boolean opened;
  private boolean inputPaused;
  private boolean gone;

  ForwardParticipant(JoinRequest who, ForwardEnd bridge, Context context) {
    this.who = who;
    this.bridge = bridge;
    this.context = context;
  }

  @Override
  public void joined(Membership m) {
    membership = m;
    openWhenLive();
  }

  @Override
  public boolean replaysRecentOutput() {
    return false; // a byte stream, like a link client: live bytes only
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public Future<Void> write(Buffer data) {
    Promise<Void> written = Promise.promise();
    context.runOnContext(
        v -> {
          if (gone) {
            written.tryComplete();
            return;
          }
          unwritten.add(written);
          bridge.onData(
              data,
              () -> {
                unwritten.remove(written);
                written.tryComplete();
              });
        });
    return written.future();
  }

  @Override
  public void control(ControlMessage message) {
    context.runOnContext(
        v -> {
          if (message instanceof ControlMessage.Status s
              && s.state() == ControlMessage.State.LIVE) {
            live = true;
            openWhenLive();
          } else if (message instanceof ControlMessage.Refusal r) {
            LOG.debugf("%s on %s: %s", who.username(), who.target(), r.detail());
          }
        });
  }

  /** The CLI learns OPENED once this participant is in and the device channel is open. */
  private void openWhenLive() {
    if (live && membership != null && !opened && !gone) {
      opened = true;
      bridge.onOpened(channel);
    }
  }

  @Override
  public void pauseInput() {
    context.runOnContext(v -> inputPaused = true);
  }

  @Override
  public void resumeInput() {
    context.runOnContext(
        v -> {
          inputPaused = false;
          bridge.onWritable();
        });
  }

  @Override
  public void closed(CloseCode code, String reason, String detail) {
    context.runOnContext(
        v -> {
          if (gone) {
            return;
          }
          boolean wasOpened = opened;
          release();
          if (!wasOpened) {
            bridge.onRefused(refusal(code, reason, detail, who.via()));
          } else {
            bridge.onClosed(
                new Reason(code(reason), reason + (detail == null ? "" : ": " + detail)));
          }
        });
  }

  /** Why the open is refused: busy names the controller and the way to take over. */
  private static Reason refusal(CloseCode code, String reason, String detail, String via) {
    return switch (code) {
      case BUSY ->
          new Reason(
              Reason.TARGET_BUSY,
              detail
                  + ("cli".equals(via)
                      ? " (--take-over takes control)"
                      : " (take over in the web terminal or an SSH session first)"));
      case TOO_MANY_PARTICIPANTS, INPUT_FLOOD, PING_FLOOD ->
          new Reason(Reason.LIMIT_EXCEEDED, detail);
      case GOING_AWAY, NODE_DRAINING -> new Reason(Reason.SHUTTING_DOWN, detail);
      default -> new Reason(code(reason), detail == null ? reason : detail);
    };
  }

  /** A reason code for a session's close reason or a device refusal's label. */
  private static int code(String label) {
    return switch (label) {
      case CloseReasons.DEVICE_OFFLINE -> Reason.DEVICE_OFFLINE;
      case CloseReasons.ACCESS_REVOKED -> Reason.ACCESS_REVOKED;
      case CloseReasons.PORTAL_SHUTDOWN, CloseReasons.NODE_DRAINING -> Reason.SHUTTING_DOWN;
      case CloseReasons.CLOSED_BY_USER -> Reason.NORMAL;
      default -> {
        for (int c = 1; c <= Reason.PEER_CLOSED; c++) {
          if (new Reason(c, "").label().equals(label)) {
            yield c;
          }
        }
        yield Reason.PEER_CLOSED;
      }
    };
  }

  /** Out of the session: bytes still held for the CLI no longer hold back the device. */
  private void release() {
    gone = true;
    for (Promise<Void> p : Set.copyOf(unwritten)) {
      p.tryComplete();
    }
    unwritten.clear();
  }

  /** Leaves the session (the CLI closed the channel or disconnected). */
  private void leave(String detail) {
    if (!gone) {
      release();
      if (membership != null) {
        membership.leave(CloseReasons.CLOSED_BY_USER, detail);
      }
    }
  }

  /** The session as the bridge's device channel: input, LINE and leaving go to the hub. */
  final class HubChannel implements DeviceChannel {
    @Override
    public String target() {
      return who.target();
    }

    @Override
    public long deviceId() {
      return who.deviceId();
    }

    @Override
    public void write(Buffer data) {
      if (!gone) {
        membership.input(data);
      }
    }

    @Override
    public boolean writeQueueFull() {
      return inputPaused;
    }

    /** A serial line has no half-close: the CLI's EOF ends this participant's use. */
    @Override
    public void end() {
      leave("the " + who.via() + " client closed its connection");
      context.runOnContext(
          v -> bridge.onClosed(new Reason(Reason.NORMAL, "a serial line has no half-close")));
    }

    @Override
    public void close(Reason reason) {
      leave(reason.toString());
    }

    @Override
    public void line(LineSettings settings) {
      if (!gone) {
        membership.line(settings);
      }
    }
  }
}
