package io.tether.protocol;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Channel id allocation for the opening side: ids grow monotonically and are never reused while a
 * CLOSE may be in flight; the last {@link ProtocolLimits#RECENTLY_CLOSED_REMEMBERED} closed ids are
 * remembered so late frames for them can be dropped rather than treated as errors.
 */
public final class ChannelIds {
  private int next = 1;
  private final ArrayDeque<Integer> closedOrder = new ArrayDeque<>();
  private final Set<Integer> closed = new HashSet<>();

  public int allocate() {
    int id = next;
    next = next == Integer.MAX_VALUE ? 1 : next + 1;
    return id;
  }

  public void closed(int id) {
    if (closed.add(id)) {
      closedOrder.addLast(id);
      if (closedOrder.size() > ProtocolLimits.RECENTLY_CLOSED_REMEMBERED) {
        closed.remove(closedOrder.removeFirst());
      }
    }
  }

  public boolean recentlyClosed(int id) {
    return closed.contains(id);
  }
}
