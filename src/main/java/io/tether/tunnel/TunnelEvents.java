package io.tether.tunnel;

/**
 * What a tunnel tells the node about its life: presence, audit and the log follow from these.
 * {@link Tunnels} in production, a recorder in unit tests.
 */
interface TunnelEvents {
  /** The handshake completed: the tunnel is registered and WELCOME sent. */
  void connected(TunnelConnection tunnel);

  /** A tunnel that had completed its handshake closed, with the close code and reason. */
  void disconnected(TunnelConnection tunnel, int code, String reason);

  /** The tunnel was refused because another installation ({@code holder}) holds the device. */
  void duplicate(TunnelConnection refused, LiveTunnel holder);

  /** The agent answered an UPGRADE with UPGRADE_FAILED: it stays on its version. */
  default void upgradeFailed(TunnelConnection tunnel, String reason) {}

  /** The agent reported another status of a target ({@code ok}, {@code missing}, …). */
  default void targetStatusChanged(
      TunnelConnection tunnel, String target, String previous, String status) {}

  /** What presence shows of the tunnel changed (a target's status, or a serial target in use). */
  void presenceChanged(LiveTunnel tunnel);
}
