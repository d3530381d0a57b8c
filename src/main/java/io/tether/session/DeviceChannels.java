package io.tether.session;

import io.tether.consolelog.ConsoleLogs;
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

  /**
   * The tunnels of this node; a target kept open for its console log is lent by its logger, so the
   * session shares the channel the log reads.
   */
  static DeviceChannels of(Tunnels tunnels, ConsoleLogs logs) {
    return new DeviceChannels() {
      @Override
      public void open(long deviceId, String target, ChannelConsumer consumer, Context context) {
        if (!logs.lend(deviceId, target, consumer, context)) {
          tunnels.open(deviceId, target, Optional.empty(), consumer, context);
        }
      }
    };
  }
}
