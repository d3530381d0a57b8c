package io.tether.tunnel;

/** What the registry and other features see of a connected tunnel. */
public interface LiveTunnel {
  long deviceId();

  String instanceId();

  long generation();

  /** Closes the tunnel with a WebSocket close code and reason; returns at once. */
  void close(int code, String reason);

  /** The event loop the tunnel lives on. */
  io.vertx.core.Context context();

  /**
   * Opens a channel to a target; the consumer hears the outcome (opened, or refused with a reason)
   * on {@code consumerContext}.
   */
  void open(
      String target,
      java.util.Optional<io.tether.protocol.LineSettings> line,
      ChannelConsumer consumer,
      io.vertx.core.Context consumerContext);

  /** The version the agent reported in HELLO (fixed for the tunnel's life); null if none. */
  default String agentVersion() {
    return null;
  }

  /** The agent said it understands UPGRADE (docs/protocol.md section 15); never a raw device. */
  default boolean upgradable() {
    return false;
  }

  /**
   * Sends UPGRADE with {@code offer} on the tunnel's context; false when the tunnel cannot take it
   * (not upgradable, or closed).
   */
  default boolean offerUpgrade(io.tether.protocol.AgentUpgrade offer) {
    return false;
  }

  /** What presence shows of this tunnel (remote address, version, targets). */
  PresenceWriter.State presence(boolean online);
}
