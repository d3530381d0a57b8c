package io.tether.tunnel;

/**
 * Where the hub sends what the database should say about devices: {@link PresenceWriter} in
 * production, a list in unit tests. Both calls return at once.
 */
interface PresenceSink {
  /** Queue a device's tunnel state: a change, announced to browsers and the other nodes. */
  void submit(PresenceWriter.State state);

  /**
   * Queue a device's unchanged state again to refresh its "last seen": written, never announced (a
   * refresh announced as a change sent every browser a presence event per online device per
   * interval, and in a cluster a NOTIFY to every node).
   */
  void refresh(PresenceWriter.State state);

  /** Records a refused duplicate agent on the device, shown as a warning. */
  void duplicate(long deviceId, String detail);

  /** Raises {@code device.target-status}: a target's reported status changed. */
  default void targetStatus(long deviceId, String target, String previous, String status) {}
}
