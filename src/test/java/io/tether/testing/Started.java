package io.tether.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test started (processes, sockets, servers), closed in reverse order after it. Closing is
 * best effort: one that fails must not keep the others running.
 */
public final class Started implements AutoCloseable {
  private final List<AutoCloseable> items = new ArrayList<>();

  public synchronized <T extends AutoCloseable> T add(T item) {
    items.add(item);
    return item;
  }

  @Override
  public synchronized void close() {
    for (int i = items.size() - 1; i >= 0; i--) {
      try {
        items.get(i).close();
      } catch (Exception e) {
        // best effort: the next one must still be closed
      }
    }
    items.clear();
  }
}
