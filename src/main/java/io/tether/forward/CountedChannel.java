package io.tether.forward;

import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.buffer.Buffer;

/**
 * A forwarded channel to a TCP target, between its user's end ({@link ForwardEnd}) and the device
 * channel: counts the bytes and the channel's life for the forward session row, changing nothing
 * else.
 */
final class CountedChannel implements ChannelConsumer, DeviceChannel, ForwardUses.Channel {
  private final ForwardEnd bridge;
  private final ForwardUses.Target use;
  private DeviceChannel inner;
  private boolean ended;

  CountedChannel(ForwardEnd bridge, ForwardUses.Target use) {
    this.bridge = bridge;
    this.use = use;
  }

  // --- from the device ---

  @Override
  public void onOpened(DeviceChannel channel) {
    inner = channel;
    use.channelOpened(this);
    bridge.onOpened(this);
  }

  @Override
  public void onRefused(Reason reason) {
    bridge.onRefused(reason);
  }

  @Override
  public void onData(Buffer data, Runnable delivered) {
    use.session().fromDevice(data.length());
    bridge.onData(data, delivered);
  }

  @Override
  public void onEof() {
    bridge.onEof();
  }

  @Override
  public void onClosed(Reason reason) {
    ended();
    bridge.onClosed(reason);
  }

  @Override
  public void onWritable() {
    bridge.onWritable();
  }

  // --- to the device ---

  @Override
  public String target() {
    return inner.target();
  }

  @Override
  public long deviceId() {
    return inner.deviceId();
  }

  @Override
  public void write(Buffer data) {
    use.session().toDevice(data.length());
    inner.write(data);
  }

  @Override
  public boolean writeQueueFull() {
    return inner.writeQueueFull();
  }

  @Override
  public void end() {
    inner.end();
  }

  @Override
  public void close(Reason reason) {
    ended();
    inner.close(reason);
  }

  @Override
  public void line(LineSettings settings) {
    inner.line(settings); // the agent logs and ignores LINE on a TCP target
  }

  /** Its session was ended by an admin: the CLI learns why, the device channel closes. */
  @Override
  public void stop(Reason reason) {
    bridge.revoke(reason);
  }

  private void ended() {
    if (!ended && inner != null) {
      ended = true;
      use.channelEnded(this);
    }
  }
}
