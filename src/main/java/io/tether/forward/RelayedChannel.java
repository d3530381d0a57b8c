package io.tether.forward;

import io.tether.access.Principal;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.tether.relay.DeviceOwners;
import io.tether.relay.RelayDialer;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;

/**
 * A channel to a TCP target of a device whose tunnel is on another node: a relayed socket (purpose
 * {@code tcp}, or {@code web} for a device page) to that node, which opens the device channel after
 * its own access checks ({@link RelayedStreamEntry}). Device bytes reach the consumer with the
 * socket paused while more than {@link RelayedTcp#MAX_UNWRITTEN} wait undelivered, so credit stays
 * end to end; writes honour the socket's write queue. Runs on the consumer's context.
 */
public final class RelayedChannel implements DeviceChannel {
  private final WebSocket ws;
  private final ChannelConsumer consumer;
  private final Context context;
  private final long deviceId;
  private final String target;
  private long unwritten;
  private boolean paused;
  private boolean closed;

  private RelayedChannel(
      WebSocket ws, ChannelConsumer consumer, Context context, long deviceId, String target) {
    this.ws = ws;
    this.consumer = consumer;
    this.context = context;
    this.deviceId = deviceId;
    this.target = target;
  }

  /**
   * Opens the channel {@code what} names on {@code owner}; the consumer learns the outcome on
   * {@code context}.
   */
  public static void open(
      RelayDialer relay,
      DeviceOwners.Owner owner,
      Principal principal,
      String address,
      RelayDialer.Request what,
      ChannelConsumer consumer,
      Context context) {
    long deviceId = what.deviceId();
    String target = what.target();
    context.runOnContext(
        v ->
            relay
                .open(owner, principal, address, what)
                .onComplete(
                    r -> {
                      if (r.failed()) {
                        consumer.onRefused(
                            r.cause() instanceof RelayDialer.Refused refused
                                ? refused.reason()
                                : new Reason(Reason.TARGET_UNAVAILABLE, r.cause().getMessage()));
                        return;
                      }
                      RelayedChannel c =
                          new RelayedChannel(r.result(), consumer, context, deviceId, target);
                      c.wire();
                      consumer.onOpened(c);
                    }));
  }

  private void wire() {
    ws.binaryMessageHandler(this::fromDevice);
    ws.textMessageHandler(
        text -> {
          if (RelayedTcp.EOF.equals(text)) {
            consumer.onEof();
          }
        });
    ws.drainHandler(v -> consumer.onWritable());
    ws.exceptionHandler(e -> {});
    ws.closeHandler(v -> ended(RelayedTcp.reasonOf(ws)));
  }

  private void fromDevice(Buffer data) {
    int n = data.length();
    unwritten += n;
    if (unwritten > RelayedTcp.MAX_UNWRITTEN && !paused) {
      paused = true;
      ws.pause();
    }
    consumer.onData(
        data,
        () ->
            context.runOnContext(
                v -> {
                  unwritten -= n;
                  if (paused && unwritten <= RelayedTcp.MAX_UNWRITTEN / 2) {
                    paused = false;
                    ws.resume();
                  }
                }));
  }

  private void ended(Reason reason) {
    if (!closed) {
      closed = true;
      consumer.onClosed(reason);
    }
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public long deviceId() {
    return deviceId;
  }

  @Override
  public void write(Buffer data) {
    if (!closed) {
      ws.writeBinaryMessage(data);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public void end() {
    if (!closed) {
      ws.writeTextMessage(RelayedTcp.EOF);
    }
  }

  @Override
  public void line(LineSettings settings) {
    // a TCP target takes no serial settings, as the agent ignores LINE on one
  }

  @Override
  public void close(Reason reason) {
    context.runOnContext(
        v -> {
          RelayedTcp.close(ws, reason);
          ended(reason);
        });
  }
}
