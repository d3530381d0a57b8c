package io.tether.tunnel;

/**
 * Where the hub sends what the database should say about devices: {@link PresenceWriter} in
 * production, a list in unit tests. Both calls return at once.
 */
interface PresenceSink {
  /** Queue a device's tunnel state. */
  void submit(PresenceWriter.State state);

  /** Records a refused duplicate agent on the device, shown as a warning. */
  void duplicate(long deviceId, String detail);
}
