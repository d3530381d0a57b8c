package io.tether.session;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The control messages that tell participants where the session stands and who is in it: the
 * participants, then the data flow watchers (role {@code watcher}), who see its traffic unseen
 * otherwise.
 */
final class Roster {
  static final String WATCHER = "watcher";

  private final SessionHub hub;

  Roster(SessionHub hub) {
    this.hub = hub;
  }

  /** Tells every participant the roster from its own point of view. */
  void broadcast() {
    JsonArray list = new JsonArray();
    for (Participant p : hub.participants()) {
      list.add(
          new JsonObject()
              .put("id", p.id)
              .put("username", p.who.username())
              .put("role", p.role.wireName())
              .put("mayControl", p.who.mayControl())
              .put("via", p.who.via()));
    }
    for (FlowTap w : hub.watchers()) {
      list.add(
          new JsonObject()
              .put("id", "w" + w.watcherId())
              .put("username", w.who().username())
              .put("role", WATCHER)
              .put("mayControl", false)
              .put("via", w.who().via()));
    }
    Participant c = hub.controller();
    for (Participant p : hub.participants()) {
      p.sink.control(
          new JsonObject()
              .put("type", "session")
              .put("id", hub.sessionId() > 0 ? hub.sessionId() : null)
              .put("you", p.id)
              .put("role", p.role.wireName())
              .put("mayControl", p.who.mayControl())
              .put("controller", c == null ? null : c.who.username())
              .put("participants", list)
              .put("recording", hub.recordingPolicy()));
    }
  }

  static JsonObject status(String state, String target, String detail) {
    JsonObject msg =
        new JsonObject().put("type", "status").put("state", state).put("target", target);
    if (detail != null) {
      msg.put("detail", detail);
    }
    return msg;
  }
}
