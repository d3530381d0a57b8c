package io.tether.forward;

import io.tether.access.Principal;
import io.tether.protocol.Reason;
import io.tether.session.CloseReasons;
import io.tether.session.ForwardSessions;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One forward socket's session rows for its TCP targets: a row starts at the first channel that
 * opens to a target and ends when the socket closes or when the target had no channel for {@link
 * #IDLE_END}. Runs on the socket's context.
 */
final class ForwardUses {
  /**
   * A target without channels this long ends its session: a client reconnecting within a minute is
   * still the same use, and an idle CLI left running for hours does not look like a live session.
   */
  static final Duration IDLE_END = Duration.ofSeconds(60);

  private final long deviceId;
  private final Principal user;
  private final Context context;
  private final ForwardSessions sessions;
  private final Duration idleEnd;
  private final Map<String, Target> targets = new HashMap<>();

  /** A channel counted in a target's session, which an admin ending the session closes. */
  interface Channel {
    void stop(Reason reason);
  }

  ForwardUses(long deviceId, Principal user, Context context, ForwardSessions sessions) {
    this(deviceId, user, context, sessions, IDLE_END);
  }

  /** With another idle time: tests. */
  ForwardUses(
      long deviceId, Principal user, Context context, ForwardSessions sessions, Duration idleEnd) {
    this.deviceId = deviceId;
    this.user = user;
    this.context = context;
    this.sessions = sessions;
    this.idleEnd = idleEnd;
  }

  /** The use of {@code target}: its session starts when a channel opens. */
  Target target(String target) {
    return targets.computeIfAbsent(target, Target::new);
  }

  /** The socket closed: every target's session ends. */
  void closed() {
    endAll(CloseReasons.CLOSED_BY_USER);
    targets.clear();
  }

  /** Every target's current session ends with {@code reason}; later channels start new ones. */
  void endAll(String reason) {
    for (Target t : targets.values()) {
      t.end(reason);
    }
  }

  /** One target's current session, if a channel opened since the last one ended. */
  final class Target {
    private final String name;
    private final Set<Channel> channels = new LinkedHashSet<>();
    private ForwardSessions.Use session;
    private int open;
    private long idleTimer = -1;

    Target(String name) {
      this.name = name;
    }

    void channelOpened(Channel channel) {
      if (session == null) {
        ForwardSessions.Use started = sessions.start(deviceId, name, user);
        session = started;
        started.onEnd(
            (reason, detail) -> context.runOnContext(v -> endedElsewhere(started, reason, detail)));
      }
      if (idleTimer >= 0) {
        context.owner().cancelTimer(idleTimer);
        idleTimer = -1;
      }
      open++;
      channels.add(channel);
      session.channelOpened();
    }

    /**
     * The session was ended from outside the socket (an admin): its channels close with the reason
     * and the next channel starts a new session.
     */
    private void endedElsewhere(ForwardSessions.Use ended, String reason, String detail) {
      if (session != ended) {
        return;
      }
      end(reason);
      Reason why = new Reason(Reason.PEER_CLOSED, reason + ": " + detail);
      for (Channel c : channels.toArray(Channel[]::new)) {
        c.stop(why);
      }
    }

    ForwardSessions.Use session() {
      return session;
    }

    void channelEnded(Channel channel) {
      if (!channels.remove(channel)) {
        return;
      }
      if (--open == 0 && session != null) {
        ForwardSessions.Use idle = session;
        idleTimer =
            context
                .owner()
                .setTimer(
                    idleEnd.toMillis(),
                    id ->
                        context.runOnContext(
                            v -> {
                              if (session == idle && open == 0) {
                                end(CloseReasons.IDLE);
                              }
                            }));
      }
    }

    private void end(String reason) {
      if (idleTimer >= 0) {
        context.owner().cancelTimer(idleTimer);
        idleTimer = -1;
      }
      if (session != null) {
        session.end(reason);
        session = null;
      }
    }
  }
}
