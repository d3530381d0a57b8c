package io.tether.session;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Every JSON control message the portal sends to a browser's terminal or data flow socket, one
 * record each, encoded only here (docs/api.md "Terminal" and "View data flow";
 * frontend/src/terminal/connection.ts types the same messages on the browser's side).
 */
public sealed interface ControlMessage {
  /** The message as it goes on the wire. */
  JsonObject json();

  /** A message that refuses what the browser asked: throttled, and counted towards a flood. */
  sealed interface Refusal extends ControlMessage {
    String detail();
  }

  /** Where a terminal's session stands, as the terminal shows it. */
  enum State {
    CONNECTING,
    LIVE,
    BUSY,
    OFFLINE,
    CLOSED;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Why the stream starts over: this terminal joined, or it fell behind and output was skipped. */
  enum ResetWhy {
    JOIN,
    RESYNC;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The session's state for a terminal; {@code detail} is null unless there is more to say. */
  record Status(State state, String target, String detail) implements ControlMessage {
    @Override
    public JsonObject json() {
      JsonObject msg = typed("status").put("state", state.wire()).put("target", target);
      if (detail != null) {
        msg.put("detail", detail);
      }
      return msg;
    }
  }

  /**
   * The session as one participant sees it: its own id and role, who controls, everyone in it.
   *
   * @param id the session's id, null until its row is written
   */
  record Session(
      Long id,
      int you,
      String role,
      boolean mayControl,
      String controller,
      List<Member> participants,
      String recording)
      implements ControlMessage {
    @Override
    public JsonObject json() {
      JsonArray list = new JsonArray();
      participants.forEach(m -> list.add(m.json()));
      return typed("session")
          .put("id", id)
          .put("you", you)
          .put("role", role)
          .put("mayControl", mayControl)
          .put("controller", controller)
          .put("participants", list)
          .put("recording", recording);
    }
  }

  /**
   * One line of a session's roster: a participant (numeric id) or a data flow watcher (id {@code
   * w<n>}, so never a hand-over target).
   */
  record Member(Object id, String username, String role, boolean mayControl, String via) {
    static Member participant(
        int id, String username, String role, boolean mayControl, String via) {
      return new Member(id, username, role, mayControl, via);
    }

    static Member watcher(long watcherId, String username, String via) {
      return new Member("w" + watcherId, username, Roster.WATCHER, false, via);
    }

    JsonObject json() {
      return new JsonObject()
          .put("id", id)
          .put("username", username)
          .put("role", role)
          .put("mayControl", mayControl)
          .put("via", via);
    }
  }

  /** Clear the screen: what follows is the recent output from a safe point, then live output. */
  record Reset(ResetWhy why) implements ControlMessage {
    @Override
    public JsonObject json() {
      return typed("reset").put("why", why.wire());
    }
  }

  /** This observer fell behind: output is skipped for it until a {@link Reset} resyncs it. */
  record Lagging() implements ControlMessage {
    @Override
    public JsonObject json() {
      return typed("lagging");
    }
  }

  /** Typed input of an observer was dropped. */
  record InputRefused(String detail) implements Refusal {
    @Override
    public JsonObject json() {
      return typed("input-refused").put("detail", detail);
    }
  }

  /** A control message of the browser was refused. */
  record Error(String detail) implements Refusal {
    @Override
    public JsonObject json() {
      return typed("error").put("detail", detail);
    }
  }

  /** Serial settings (or a break) went to the device. */
  record LineSent() implements ControlMessage {
    @Override
    public JsonObject json() {
      return typed("line-sent");
    }
  }

  /** The answer to a resize. */
  record Resized(int cols, int rows) implements ControlMessage {
    @Override
    public JsonObject json() {
      return typed("resized").put("cols", cols).put("rows", rows);
    }
  }

  /** The credential behind the socket ends at {@code at}: typing cannot extend it. */
  record Expiring(Instant at) implements ControlMessage {
    @Override
    public JsonObject json() {
      return typed("expiring").put("at", at.toString());
    }
  }

  /**
   * Sent just before the socket closes.
   *
   * @param code the close label ({@link CloseReasons} or a {@link CloseCode}'s label)
   * @param reason {@code label: detail}, as the close frame's reason
   */
  record Closed(String code, String reason) implements ControlMessage {
    @Override
    public JsonObject json() {
      return typed("closed").put("code", code).put("reason", reason);
    }
  }

  /** A data flow's first message: whether typed input is shown, and whose replay right shows it. */
  record Watching(boolean input, String group) implements ControlMessage {
    @Override
    public JsonObject json() {
      return typed("watching").put("input", input).put("group", group);
    }
  }

  /** A data flow's session: live with its id, or idle (null). */
  record FlowStatus(Long session) implements ControlMessage {
    @Override
    public JsonObject json() {
      return typed("status")
          .put("state", session == null ? "idle" : "live")
          .put("session", session);
    }
  }

  /** A data flow watcher fell behind: this many bytes were not shown. */
  record Skipped(long bytes) implements ControlMessage {
    @Override
    public JsonObject json() {
      return typed("skipped").put("bytes", bytes);
    }
  }

  /**
   * The message a relayed participant (an SSH shell whose session is on another node) acts on, read
   * back from its JSON; empty for the rest (screen resets, rosters' details, data flow messages).
   */
  static java.util.Optional<ControlMessage> read(JsonObject msg) {
    String detail = msg.getString("detail", "");
    ControlMessage m =
        switch (msg.getString("type", "")) {
          case "status" -> {
            State state = stateOf(msg.getString("state", ""));
            yield state == null
                ? null
                : new Status(state, msg.getString("target", ""), msg.getString("detail"));
          }
          case "session" ->
              new Session(
                  msg.getLong("id"),
                  msg.getInteger("you", 0),
                  msg.getString("role", "observer"),
                  msg.getBoolean("mayControl", false),
                  msg.getString("controller"),
                  List.of(),
                  msg.getString("recording", "off"));
          case "input-refused" -> new InputRefused(detail);
          case "error" -> new Error(detail);
          case "line-sent" -> new LineSent();
          case "closed" -> new Closed(msg.getString("code", ""), msg.getString("reason", ""));
          default -> null;
        };
    return java.util.Optional.ofNullable(m);
  }

  private static State stateOf(String wire) {
    for (State s : State.values()) {
      if (s.wire().equals(wire)) {
        return s;
      }
    }
    return null;
  }

  private static JsonObject typed(String type) {
    return new JsonObject().put("type", type);
  }
}
