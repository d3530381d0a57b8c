package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Channel ids: monotonic from 1, and a bounded memory of recently closed ones. */
class ChannelIdsTest {
  @Test
  void allocatesMonotonicallyFromOne() {
    ChannelIds ids = new ChannelIds();
    for (int expected = 1; expected <= 10_000; expected++) {
      assertEquals(expected, ids.allocate());
    }
  }

  @Test
  void doesNotReuseAClosedId() {
    ChannelIds ids = new ChannelIds();
    int first = ids.allocate();
    ids.closed(first);
    assertEquals(2, ids.allocate());
  }

  @Test
  void remembersRecentlyClosedIds() {
    ChannelIds ids = new ChannelIds();
    int a = ids.allocate();
    int b = ids.allocate();
    ids.closed(a);
    assertTrue(ids.recentlyClosed(a));
    assertFalse(ids.recentlyClosed(b), "an open channel is not recently closed");
    assertFalse(ids.recentlyClosed(99), "a never-opened id is not recently closed");
  }

  @Test
  void boundsTheRecentlyClosedMemory() {
    ChannelIds ids = new ChannelIds();
    int n = ProtocolLimits.RECENTLY_CLOSED_REMEMBERED;
    for (int i = 0; i < n + 10; i++) {
      ids.closed(ids.allocate());
    }
    int remembered = 0;
    for (int id = 1; id <= n + 10; id++) {
      if (ids.recentlyClosed(id)) {
        remembered++;
      }
    }
    assertEquals(n, remembered);
    assertFalse(ids.recentlyClosed(1), "the oldest ids are forgotten first");
    assertFalse(ids.recentlyClosed(10));
    assertTrue(ids.recentlyClosed(11));
    assertTrue(ids.recentlyClosed(n + 10));
  }

  @Test
  void closingTwiceDoesNotEvictOthers() {
    ChannelIds ids = new ChannelIds();
    int n = ProtocolLimits.RECENTLY_CLOSED_REMEMBERED;
    for (int i = 0; i < n; i++) {
      ids.closed(ids.allocate());
    }
    ids.closed(n);
    ids.closed(n);
    assertTrue(ids.recentlyClosed(1), "a repeated close must not push out the oldest id");
  }
}
