package io.tether.tunnel;

/** What the registry and other features see of a connected tunnel. */
public interface LiveTunnel {
  long deviceId();

  String instanceId();

  long generation();

  /** Closes the tunnel with a WebSocket close code and reason; returns at once. */
  void close(int code, String reason);
}
