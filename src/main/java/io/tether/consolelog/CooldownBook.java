package io.tether.consolelog;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When each rule last raised on each (device, target), and how many matches it kept quiet since: in
 * memory, at most {@link #MAX_ENTRIES} entries, the least recently touched evicted first. A portal
 * restart (or the device moving to another node) forgets it, so a rule may raise once more.
 */
final class CooldownBook {
  /**
   * Entries kept: each is about 150 bytes, so at most ~15 MiB, for 100,000 (device, target, rule)
   * triples that matched within their cool-down: far more than a fleet's alerting rules produce.
   */
  static final int MAX_ENTRIES = 100_000;

  record Key(long deviceId, String target, long ruleId) {}

  private static final class Entry {
    Instant raisedAt;
    long suppressed;
  }

  private final int capacity;
  private final Map<Key, Entry> entries;

  CooldownBook() {
    this(MAX_ENTRIES);
  }

  CooldownBook(int capacity) {
    this.capacity = capacity;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > CooldownBook.this.capacity;
          }
        };
  }

  /**
   * A match of {@code key} at {@code at}: -1 while the rule cools down (the match is counted),
   * otherwise it raises and this is how many matches were kept quiet since its last raise.
   */
  synchronized long matched(Key key, Instant at, Duration cooldown) {
    Entry entry = entries.get(key);
    if (entry != null && at.isBefore(entry.raisedAt.plus(cooldown))) {
      entry.suppressed++;
      return -1;
    }
    long suppressed = entry == null ? 0 : entry.suppressed;
    if (cooldown.isZero()) {
      entries.remove(key); // nothing to remember: every match raises
      return suppressed;
    }
    if (entry == null) {
      entry = new Entry();
      entries.put(key, entry);
    }
    entry.raisedAt = at;
    entry.suppressed = 0;
    return suppressed;
  }

  synchronized int size() {
    return entries.size();
  }
}
