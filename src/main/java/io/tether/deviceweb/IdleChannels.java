package io.tether.deviceweb;

import io.tether.protocol.Reason;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Device connections kept open between requests (HTTP keep-alive), each reused only by the
 * device-web session that opened it (one user, one browser session, one web target): never another
 * user's. An idle channel keeps its slot of {@link ChannelLimits}; it is closed after {@link
 * #IDLE_MILLIS}, when another request waits for its web target's slot, when access changes, or when
 * the device closes it. Channels are reused on the event loop that opened them (a browser's
 * keep-alive connection stays on one thread), so an exchange and its channel share one thread.
 */
final class IdleChannels {
  /** Shorter than embedded servers' own keep-alive timeouts (commonly 5-15 s). */
  static final long IDLE_MILLIS = 3_000;

  /**
   * Whose an idle channel is: the session, on the event-loop thread of the exchanges it served
   * (each request runs on a context of its own, all of one connection on one thread).
   */
  record Key(long sessionId, Thread eventLoop) {
    static Key of(long sessionId) {
      return new Key(sessionId, Thread.currentThread());
    }
  }

  /** One idle channel, its web target, its event loop and how its slot is given back. */
  private record Idle(
      Key key,
      String webTarget,
      KeptChannel kept,
      Context context,
      Runnable release,
      long[] timer) {}

  private final Vertx vertx;
  private final Map<Key, ArrayDeque<Idle>> idle = new HashMap<>();

  IdleChannels(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Parks a channel an exchange finished with; on the key's event loop. */
  void park(Key key, String webTarget, KeptChannel kept, Runnable release) {
    Idle entry = new Idle(key, webTarget, kept, Vertx.currentContext(), release, new long[1]);
    synchronized (this) {
      idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(entry);
    }
    kept.idle(() -> drop(entry));
    entry.timer()[0] = vertx.setTimer(IDLE_MILLIS, t -> close(entry, "idle"));
  }

  /** The session's newest idle channel on this event loop, taken with its slot; null if none. */
  KeptChannel take(Key key) {
    Idle entry;
    synchronized (this) {
      ArrayDeque<Idle> q = idle.get(key);
      entry = q == null ? null : q.pollLast();
      if (q != null && q.isEmpty()) {
        idle.remove(key);
      }
    }
    if (entry == null) {
      return null;
    }
    vertx.cancelTimer(entry.timer()[0]);
    return entry.kept();
  }

  /** Another request waits for a slot of this web target: its oldest idle channel closes. */
  void evictOne(String webTarget) {
    Idle oldest = null;
    synchronized (this) {
      for (ArrayDeque<Idle> q : idle.values()) {
        Idle first = q.peekFirst();
        if (first != null && first.webTarget().equals(webTarget)) {
          oldest = first;
          break;
        }
      }
    }
    if (oldest != null) {
      close(oldest, "another request waits for the device");
    }
  }

  /** Access changed: every idle channel closes (the next request is checked and opens anew). */
  void closeAll() {
    List<Idle> all = new ArrayList<>();
    synchronized (this) {
      idle.values().forEach(all::addAll);
    }
    all.forEach(e -> close(e, "access changed"));
  }

  private void close(Idle entry, String why) {
    if (drop(entry)) {
      entry
          .context()
          .runOnContext(
              v ->
                  entry
                      .kept()
                      .channel()
                      .close(new Reason(Reason.PEER_CLOSED, "keep-alive " + why)));
    }
  }

  /** Takes the entry out and gives its slot back, once; false when it was no longer idle. */
  private boolean drop(Idle entry) {
    synchronized (this) {
      ArrayDeque<Idle> q = idle.get(entry.key());
      if (q == null || !q.remove(entry)) {
        return false;
      }
      if (q.isEmpty()) {
        idle.remove(entry.key());
      }
    }
    vertx.cancelTimer(entry.timer()[0]);
    entry.release().run();
    return true;
  }
}
