package io.tether.tunnel;

import java.time.Duration;

/** The tunnel parameters a node runs with (from TetherConfig, shortened in tests). */
record TunnelSettings(
    long windowBytes,
    Duration handshakeTimeout,
    Duration heartbeat,
    Duration deadAfter,
    Duration shutdownRetryAfter) {
  /** An agent must say HELLO this soon after the upgrade. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Bytes queued on the tunnel socket before the round-robin scheduler waits for drain: small, so a
   * bulk channel cannot put much ahead of another channel's keystrokes.
   */
  static final int SOCKET_WRITE_QUEUE = 64 * 1024;
}
