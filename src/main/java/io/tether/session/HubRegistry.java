package io.tether.session;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/** What a {@link SessionHub} tells, and asks, the registry that holds it ({@link SessionHubs}). */
interface HubRegistry {
  /** Joins the next session of the target: the hub {@code who} reached has just ended. */
  void join(JoinRequest who, ParticipantSink sink);

  /** The device channel is open: the session is live. */
  void started(SessionHub hub);

  /**
   * The hub is live and a moving session of its target waits: claim it (then {@link
   * SessionHub#resumed}), or store a new session if another node was faster or its window passed.
   */
  void claim(SessionHub hub, long movingSessionId);

  /** The session ended: the hub is no longer the target's live one. */
  void ended(SessionHub hub);

  /** The device refused the open: the session never happened. */
  void refused(SessionHub hub);

  /** Traffic of the hub's session, for the target's data flow watchers. */
  void tap(SessionHub hub, FlowTap.Direction direction, Buffer data);

  /** The data flow watchers of the hub's target, oldest first. */
  List<FlowTap> watchers(SessionHub hub);
}
