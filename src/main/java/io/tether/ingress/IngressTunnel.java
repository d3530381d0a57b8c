package io.tether.ingress;

import io.tether.device.DeviceTarget;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.LiveTunnel;
import io.tether.tunnel.PresenceWriter;
import io.tether.tunnel.Tunnels;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A device server's raw TCP connection standing in for an agent tunnel: one target, {@code serial},
 * one channel at a time. Its bytes go to the open channel; with none open they are dropped, as a
 * serial line drops what nobody reads. Lives on the socket's event loop.
 */
final class IngressTunnel implements LiveTunnel {
  static final String TARGET = "serial";
  static final String AGENT_VERSION = "raw-tcp";

  private final NetSocket socket;
  private final Context context;
  private final IngressListeners.Admitted device;
  private final String address;
  private final long generation;
  private final Tunnels tunnels;
  private RawChannel channel;
  private boolean closed;

  IngressTunnel(
      NetSocket socket,
      Context context,
      IngressListeners.Admitted device,
      String address,
      Tunnels tunnels) {
    this.socket = socket;
    this.context = context;
    this.device = device;
    this.address = address;
    this.tunnels = tunnels;
    this.generation = tunnels.nextGeneration();
  }

  /** Takes over the socket; {@code initial} are bytes read after the connect string. */
  void start(Buffer initial) {
    socket.handler(this::fromDevice);
    socket.closeHandler(v -> gone("the device server closed the connection"));
    socket.exceptionHandler(e -> socket.close());
    tunnels.attach(this, device.name(), address);
    if (initial.length() > 0) {
      fromDevice(initial);
    }
    socket.resume();
  }

  private void fromDevice(Buffer data) {
    if (channel != null) {
      channel.fromDevice(data);
    }
  }

  private void gone(String why) {
    if (closed) {
      return;
    }
    closed = true;
    if (channel != null) {
      channel.deviceGone(new Reason(Reason.DEVICE_OFFLINE, "the device server disconnected"));
      channel = null;
    }
    tunnels.detach(this, device.name(), address, why);
  }

  void channelClosed(RawChannel c) {
    if (channel == c) {
      channel = null;
      socket.resume(); // nobody reads now: do not leave the device server blocked
    }
  }

  NetSocket socket() {
    return socket;
  }

  // --- LiveTunnel ---

  @Override
  public long deviceId() {
    return device.id();
  }

  @Override
  public String instanceId() {
    return "raw"; // every connection of the device server is "the same agent": newer replaces
  }

  @Override
  public long generation() {
    return generation;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void close(int code, String reason) {
    context.runOnContext(
        v -> {
          socket.close();
          gone(code + " " + reason);
        });
  }

  @Override
  public void open(
      String target,
      Optional<LineSettings> line,
      ChannelConsumer consumer,
      Context consumerContext) {
    context.runOnContext(
        v -> {
          Reason refusal = null;
          if (closed) {
            refusal = new Reason(Reason.DEVICE_OFFLINE, "the device is offline");
          } else if (!TARGET.equals(target)) {
            refusal =
                new Reason(Reason.UNKNOWN_TARGET, "a raw device has one target, '" + TARGET + "'");
          } else if (channel != null) {
            refusal = new Reason(Reason.TARGET_BUSY, "the device server's port is in use");
          }
          if (refusal != null) {
            Reason r = refusal;
            consumerContext.runOnContext(x -> consumer.onRefused(r));
            return;
          }
          RawChannel opened = new RawChannel(this, consumer, consumerContext);
          channel = opened;
          consumerContext.runOnContext(x -> consumer.onOpened(opened));
        });
  }

  @Override
  public PresenceWriter.State presence(boolean online) {
    return new PresenceWriter.State(
        device.id(),
        device.groupId(),
        generation,
        online,
        address,
        AGENT_VERSION,
        instanceId(),
        List.of(
            new DeviceTarget(
                TARGET,
                "serial",
                "the device server's serial port (raw TCP ingress)",
                channel == null ? "ok" : "busy")),
        Instant.now());
  }
}
