package io.tether.deviceweb;

import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * How many channels device pages hold at once: embedded web servers take few connections. At most
 * {@link #PER_USER} per (user, web target) and {@link #PER_TARGET} per web target; requests beyond
 * wait in order, at most {@link #MAX_WAITING} per web target (beyond that: refused). A web target
 * is keyed by its device and target name ({@link #target}). The node that holds the device's tunnel
 * counts its own requests and those other nodes relay to it, so in a cluster the limits hold for
 * the device as a whole; a relaying node also counts its own (never more than the device's node).
 */
@Singleton
public class ChannelLimits {
  /** A browser opens 6 connections per host: one user never needs more. */
  public static final int PER_USER = 6;

  /** Embedded device servers often serve 4-8 connections in all. */
  public static final int PER_TARGET = 8;

  /** A page with many assets queues; a flood does not grow memory without bound. */
  static final int MAX_WAITING = 64;

  private record Waiter(long userId, Runnable start) {}

  /** The key of a device's web target. */
  public static String target(long deviceId, String target) {
    return deviceId + "/" + target;
  }

  private final Map<String, Integer> perTarget = new HashMap<>();
  private final Map<String, Integer> perUser = new HashMap<>();
  private final Map<String, ArrayDeque<Waiter>> waiting = new HashMap<>();

  /**
   * Runs {@code start} now or when a slot frees (on the thread that frees it: post to your own
   * context); false when the queue is full.
   */
  public synchronized boolean acquire(String webTarget, long userId, Runnable start) {
    if (free(webTarget, userId)) {
      take(webTarget, userId);
      start.run();
      return true;
    }
    ArrayDeque<Waiter> q = waiting.computeIfAbsent(webTarget, k -> new ArrayDeque<>());
    if (q.size() >= MAX_WAITING) {
      return false;
    }
    q.addLast(new Waiter(userId, start));
    return true;
  }

  public synchronized void release(String webTarget, long userId) {
    perTarget.merge(webTarget, -1, (a, b) -> a + b == 0 ? null : a + b);
    perUser.merge(key(webTarget, userId), -1, (a, b) -> a + b == 0 ? null : a + b);
    ArrayDeque<Waiter> q = waiting.get(webTarget);
    if (q == null) {
      return;
    }
    for (Iterator<Waiter> it = q.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (free(webTarget, w.userId())) {
        it.remove();
        take(webTarget, w.userId());
        w.start().run();
        break;
      }
    }
    if (q.isEmpty()) {
      waiting.remove(webTarget);
    }
  }

  private boolean free(String webTarget, long userId) {
    return perTarget.getOrDefault(webTarget, 0) < PER_TARGET
        && perUser.getOrDefault(key(webTarget, userId), 0) < PER_USER;
  }

  private void take(String webTarget, long userId) {
    perTarget.merge(webTarget, 1, Integer::sum);
    perUser.merge(key(webTarget, userId), 1, Integer::sum);
  }

  private static String key(String webTarget, long userId) {
    return webTarget + "/" + userId;
  }
}
