package io.tether.tunnel;

/** What a tunnel tells the agent upgrade feature, fired asynchronously off the event loop. */
public sealed interface AgentTunnelEvent {
  long deviceId();

  /** The agent completed its handshake reporting {@code agentVersion}. */
  record Online(long deviceId, String agentVersion, boolean upgradable)
      implements AgentTunnelEvent {}

  /** The agent answered UPGRADE with UPGRADE_FAILED and {@code reason}. */
  record UpgradeFailed(long deviceId, String reason) implements AgentTunnelEvent {}

  /**
   * A tunnel that carried an UPGRADE the agent did not refuse closed with {@code code} and {@code
   * reason} (1001 "restarting for an upgrade to V" when the agent restarts on the new jar).
   */
  record UpgradeTunnelClosed(long deviceId, int code, String reason) implements AgentTunnelEvent {}
}
