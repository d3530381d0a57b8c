package io.tether.deviceweb;

import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.buffer.Buffer;

/**
 * The consumer a device page's channel is opened with (under {@link TlsChannel} for an https
 * target): it hands the channel's events to the exchange using it and, between two exchanges of one
 * session (HTTP keep-alive, {@link IdleChannels}), holds the channel idle, where the device's end
 * or bytes it sends unasked end it. Runs on the exchange's event loop.
 */
final class KeptChannel implements ChannelConsumer {
  private ChannelConsumer user;
  private DeviceChannel channel;
  private Runnable idleEnded;

  KeptChannel(ChannelConsumer first) {
    user = first;
  }

  /** The open channel as exchanges write to it (TLS included). */
  DeviceChannel channel() {
    return channel;
  }

  /** Hands the open channel to the next exchange. */
  void lend(ChannelConsumer next) {
    user = next;
    idleEnded = null;
    next.onOpened(channel);
  }

  /** The exchange gave the channel up: what the channel still says reaches no one. */
  void abandon() {
    user = null;
    idleEnded = null;
  }

  /** Between exchanges: {@code ended} runs once if the device closes it or speaks unasked. */
  void idle(Runnable ended) {
    user = null;
    idleEnded = ended;
  }

  @Override
  public void onOpened(DeviceChannel opened) {
    channel = opened;
    user.onOpened(opened);
  }

  @Override
  public void onRefused(Reason reason) {
    if (user != null) {
      user.onRefused(reason);
    }
  }

  @Override
  public void onData(Buffer data, Runnable delivered) {
    if (user != null) {
      user.onData(data, delivered);
      return;
    }
    delivered.run();
    ended(); // bytes no request asked for: the connection is out of step
  }

  @Override
  public void onEof() {
    if (user != null) {
      user.onEof();
    } else {
      ended();
    }
  }

  @Override
  public void onClosed(Reason reason) {
    if (user != null) {
      user.onClosed(reason);
    } else {
      ended();
    }
  }

  @Override
  public void onWritable() {
    if (user != null) {
      user.onWritable();
    }
  }

  private void ended() {
    Runnable r = idleEnded;
    idleEnded = null;
    if (r != null) {
      r.run();
    }
  }
}
