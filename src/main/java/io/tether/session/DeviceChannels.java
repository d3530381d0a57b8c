package io.tether.session;

import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.Tunnels;
import io.vertx.core.Context;
import java.util.Optional;

/** Where a session's device channel comes from: the node's tunnels, or a fake in a test. */
interface DeviceChannels {
  /**
   * Opens a channel to a device target; {@code consumer} hears the outcome (opened or refused) on
   * {@code context}.
   */
  void open(long deviceId, String target, ChannelConsumer consumer, Context context);

  /** The tunnels of this node. */
  static DeviceChannels of(Tunnels tunnels) {
    return new DeviceChannels() {
      @Override
      public void open(long deviceId, String target, ChannelConsumer consumer, Context context) {
        tunnels.open(deviceId, target, Optional.empty(), consumer, context);
      }
    };
  }
}
