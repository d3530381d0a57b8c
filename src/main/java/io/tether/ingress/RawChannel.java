package io.tether.ingress;

import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one channel of a raw device. Backpressure: the device server's socket is paused while more
 * than a window of its bytes waits for the consumer's delivery, and the consumer hears onWritable
 * once the socket's write queue drains.
 */
final class RawChannel implements DeviceChannel {
  /** Bytes from the device held for the consumer before its socket is paused. */
  static final long WINDOW = 256 * 1024;

  private final IngressTunnel tunnel;
  private final ChannelConsumer consumer;
  private final Context consumerContext;
  private final AtomicLong undelivered = new AtomicLong();
  private volatile boolean closed;

  RawChannel(IngressTunnel tunnel, ChannelConsumer consumer, Context consumerContext) {
    this.tunnel = tunnel;
    this.consumer = consumer;
    this.consumerContext = consumerContext;
    tunnel.socket().drainHandler(v -> consumerContext.runOnContext(x -> consumer.onWritable()));
  }

  /** On the tunnel's loop: bytes the device server sent. */
  void fromDevice(Buffer data) {
    int n = data.length();
    if (undelivered.addAndGet(n) >= WINDOW) {
      tunnel.socket().pause();
    }
    consumerContext.runOnContext(
        v -> {
          if (closed) {
            return;
          }
          consumer.onData(data, () -> delivered(n));
        });
  }

  private void delivered(int n) {
    if (undelivered.addAndGet(-n) < WINDOW) {
      tunnel.context().runOnContext(v -> tunnel.socket().resume());
    }
  }

  /** On the tunnel's loop: the connection is gone. */
  void deviceGone(Reason reason) {
    closed = true;
    consumerContext.runOnContext(v -> consumer.onClosed(reason));
  }

  @Override
  public String target() {
    return IngressTunnel.TARGET;
  }

  @Override
  public long deviceId() {
    return tunnel.deviceId();
  }

  @Override
  public void write(Buffer data) {
    if (!closed) {
      tunnel.socket().write(data);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return tunnel.socket().writeQueueFull();
  }

  @Override
  public void end() {
    // a device server's serial line has no half-close: the channel stays until closed
  }

  @Override
  public void line(LineSettings settings) {
    // the device server's own configuration sets its serial line; it has no LINE to receive
  }

  @Override
  public void close(Reason reason) {
    closed = true;
    tunnel.context().runOnContext(v -> tunnel.channelClosed(this));
  }
}
