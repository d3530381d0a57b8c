package io.tether.session;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A participant's handle on its session: input, control and leaving, each posted to the hub's
 * context. Sharing actions (take over, hand over, release) are checked and audited here.
 */
public final class Membership {
  private final SessionHub hub;
  private final Participant self;

  Membership(SessionHub hub, Participant self) {
    this.hub = hub;
    this.self = self;
  }

  public void input(Buffer data) {
    hub.run(() -> hub.input(self, data));
  }

  public void leave(String reasonIfLast, String detail) {
    hub.run(() -> hub.leave(self, reasonIfLast, detail));
  }

  /** This participant's terminal is {@code cols} by {@code rows} (the controller's is recorded). */
  public void resize(int cols, int rows) {
    hub.run(() -> hub.resize(self, cols, rows));
  }

  /** Removes this participant with a reason it is told (access revoked). */
  public void kick(String reason, String detail) {
    kick(CloseCode.NORMAL, reason, detail);
  }

  /** Removes this participant, closing its socket with {@code code}. */
  public void kick(CloseCode code, String reason, String detail) {
    hub.run(
        () -> {
          self.sink.closed(code, reason, detail);
          hub.leave(self, reason, detail);
        });
  }

  /** A control message of the browser; IllegalArgumentException when it is refused. */
  public void control(String type, JsonObject msg) {
    switch (type) {
      case "pause" -> hub.run(() -> hub.pause(self, true));
      case "resume" -> hub.run(() -> hub.pause(self, false));
      case "take-over" -> hub.run(this::takeOver);
      case "hand-over" -> {
        if (msg.getValue("to") == null) {
          throw new IllegalArgumentException("hand-over needs \"to\": a participant id");
        }
        int to = ControlFields.integer(msg, "to", 0, Integer.MAX_VALUE, 0);
        hub.run(() -> handOver(to));
      }
      case "release" -> hub.run(this::release);
      case "line", "break" -> hub.run(() -> line(msg));
      default -> throw new IllegalArgumentException("unknown control message");
    }
  }

  /**
   * Serial settings from a participant that speaks LINE frames itself (tether-cli): applied only
   * while it controls, as a browser's {@code line} message.
   */
  public void line(io.tether.protocol.LineSettings settings) {
    hub.run(
        () -> {
          if (!hub.opener.serial()) {
            refuse("serial settings apply to serial targets only");
          } else if (!hub.sendLine(self, settings)) {
            refuse("only the controller can change serial settings");
          }
        });
  }

  private void takeOver() {
    if (!self.who.mayControl()) {
      refuse("you may watch this device but not operate it");
      return;
    }
    Participant from = hub.controller();
    if (from == self) {
      return;
    }
    if (from != null && hub.transferring()) {
      refuse(SessionHub.TRANSFER_RUNS); // the controller's terminal runs it: it would break
      return;
    }
    hub.giveControl(self);
    hub.audit(
        self.who,
        "session.take-over",
        from == null ? "nobody had control" : "from " + from.who.username());
  }

  private void handOver(int to) {
    if (hub.controller() != self) {
      refuse("only the controller can hand over control");
      return;
    }
    Participant target = hub.participant(to);
    if (target == null || !target.who.mayControl()) {
      refuse("hand over to a participant who may operate this device");
      return;
    }
    hub.giveControl(target);
    hub.audit(self.who, "session.hand-over", "to " + target.who.username());
  }

  private void release() {
    if (hub.controller() == self) {
      hub.giveControl(null);
      hub.audit(self.who, "session.release", null);
    }
  }

  private void line(JsonObject msg) {
    if (!hub.opener.serial()) {
      refuse("serial settings apply to serial targets only");
      return;
    }
    try {
      if (hub.sendLine(self, SerialControl.toLine(msg))) {
        self.sink.control(new ControlMessage.LineSent());
      } else {
        refuse("only the controller can change serial settings");
      }
    } catch (IllegalArgumentException e) {
      refuse(e.getMessage());
    }
  }

  private void refuse(String detail) {
    self.sink.control(new ControlMessage.Error(detail));
  }
}
