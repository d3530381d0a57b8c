package io.tether.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code session} message that tells participants who is in the session: the participants, then
 * the data flow watchers (role {@code watcher}), who see its traffic unseen otherwise.
 */
final class Roster {
  static final String WATCHER = "watcher";

  private final SessionHub hub;

  Roster(SessionHub hub) {
    this.hub = hub;
  }

  /** Tells every participant the roster from its own point of view. */
  void broadcast() {
    List<ControlMessage.Member> list = new ArrayList<>();
    for (Participant p : hub.participants()) {
      list.add(
          ControlMessage.Member.participant(
              p.id, p.who.username(), p.role.wireName(), p.who.mayControl(), p.who.via()));
    }
    for (FlowTap w : hub.watchers()) {
      list.add(ControlMessage.Member.watcher(w.watcherId(), w.who().username(), w.who().via()));
    }
    List<ControlMessage.Member> members = List.copyOf(list);
    Participant c = hub.controller();
    for (Participant p : hub.participants()) {
      p.sink.control(
          new ControlMessage.Session(
              hub.sessionId() > 0 ? hub.sessionId() : null,
              p.id,
              p.role.wireName(),
              p.who.mayControl(),
              c == null ? null : c.who.username(),
              members,
              hub.recordingPolicy()));
    }
  }
}
