package io.tether.deviceweb;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * How many channels device pages hold at once: embedded web servers take few connections. At most
 * {@link #PER_USER} per (user, web target) and {@link #PER_TARGET} per web target; requests beyond
 * wait in order, at most {@link #MAX_WAITING} per web target (beyond that: refused).
 */
final class ChannelLimits {
  /** A browser opens 6 connections per host: one user never needs more. */
  static final int PER_USER = 6;

  /** Embedded device servers often serve 4-8 connections in all. */
  static final int PER_TARGET = 8;

  /** A page with many assets queues; a flood does not grow memory without bound. */
  static final int MAX_WAITING = 64;

  private record Waiter(long userId, Runnable start) {}

  private final Map<Long, Integer> perTarget = new HashMap<>();
  private final Map<String, Integer> perUser = new HashMap<>();
  private final Map<Long, ArrayDeque<Waiter>> waiting = new HashMap<>();

  /**
   * Runs {@code start} now or when a slot frees (on the thread that frees it: post to your own
   * context); false when the queue is full.
   */
  synchronized boolean acquire(long webTargetId, long userId, Runnable start) {
    if (free(webTargetId, userId)) {
      take(webTargetId, userId);
      start.run();
      return true;
    }
    ArrayDeque<Waiter> q = waiting.computeIfAbsent(webTargetId, k -> new ArrayDeque<>());
    if (q.size() >= MAX_WAITING) {
      return false;
    }
    q.addLast(new Waiter(userId, start));
    return true;
  }

  synchronized void release(long webTargetId, long userId) {
    perTarget.merge(webTargetId, -1, (a, b) -> a + b == 0 ? null : a + b);
    perUser.merge(key(webTargetId, userId), -1, (a, b) -> a + b == 0 ? null : a + b);
    ArrayDeque<Waiter> q = waiting.get(webTargetId);
    if (q == null) {
      return;
    }
    for (Iterator<Waiter> it = q.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (free(webTargetId, w.userId())) {
        it.remove();
        take(webTargetId, w.userId());
        w.start().run();
        break;
      }
    }
    if (q.isEmpty()) {
      waiting.remove(webTargetId);
    }
  }

  private boolean free(long webTargetId, long userId) {
    return perTarget.getOrDefault(webTargetId, 0) < PER_TARGET
        && perUser.getOrDefault(key(webTargetId, userId), 0) < PER_USER;
  }

  private void take(long webTargetId, long userId) {
    perTarget.merge(webTargetId, 1, Integer::sum);
    perUser.merge(key(webTargetId, userId), 1, Integer::sum);
  }

  private static String key(long webTargetId, long userId) {
    return webTargetId + "/" + userId;
  }
}
