package io.tether.tunnel;

import io.tether.protocol.Reason;
import io.vertx.core.buffer.Buffer;

/**
 * The user side of a channel (a CLI connection, a terminal, a link port). Callbacks run on the
 * consumer's own Vert.x context. Backpressure: call {@code delivered} once the bytes of {@link
 * #onData} have been written onward (write completed); only then does the device get more credit.
 */
public interface ChannelConsumer {
  void onOpened(DeviceChannel channel);

  void onRefused(Reason reason);

  void onData(Buffer data, Runnable delivered);

  /** The device will send no more (half-close); the channel may still accept writes. */
  void onEof();

  /** The channel is gone, with why. Called once. */
  void onClosed(Reason reason);

  /** The channel accepts writes again after {@link DeviceChannel#writeQueueFull()}. */
  void onWritable();
}
