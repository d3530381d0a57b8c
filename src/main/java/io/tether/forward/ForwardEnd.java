package io.tether.forward;

import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;

/**
 * The user's end of a forwarded channel to a TCP target: a tether-cli channel ({@link
 * ForwardBridge}) or an SSH {@code direct-tcpip} channel. It receives the device channel's events
 * and can be stopped when its forward session is ended or its rights go.
 */
public interface ForwardEnd extends ChannelConsumer {
  /** Access ended or an admin ended the session: close the device channel and say why. */
  void revoke(Reason reason);
}
