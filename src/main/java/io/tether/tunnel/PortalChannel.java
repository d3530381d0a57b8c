package io.tether.tunnel;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Messages;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.Reason;
import io.tether.protocol.ReceiveWindow;
import io.tether.protocol.SendActivity;
import io.tether.protocol.SendCredit;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One channel on a tunnel, as seen by the portal. Its state belongs to the tunnel's event loop:
 * calls from a consumer on another loop are posted there. The portal holds at most one window per
 * direction: device-to-user bytes are bounded by the credit it grants, user-to-device bytes by
 * {@link #writeQueueFull()}.
 */
public final class PortalChannel implements DeviceChannel {
  enum State {
    OPENING,
    OPEN,
    CLOSED
  }

  private final TunnelConnection tunnel;
  private final int id;
  private final String target;
  private final ChannelConsumer consumer;
  private final Context consumerContext;
  private final SendCredit toDevice;
  private final SendActivity toDeviceActivity = new SendActivity();
  private final SendActivity carried = new SendActivity(); // DATA both ways: is it interactive?
  private final ReceiveWindow fromDevice;
  private final ArrayDeque<Buffer> outbound = new ArrayDeque<>();
  private final AtomicLong queued = new AtomicLong();
  private final long window;
  private State state = State.OPENING;
  private boolean endRequested;
  private boolean eofSent;
  private volatile boolean waitingForDrain;
  private long heldFromDevice;
  private long deferredGrant;

  PortalChannel(
      TunnelConnection tunnel,
      int id,
      String target,
      ChannelConsumer consumer,
      Context consumerContext,
      long window) {
    this.tunnel = tunnel;
    this.id = id;
    this.target = target;
    this.consumer = consumer;
    this.consumerContext = consumerContext;
    this.window = window;
    this.toDevice = new SendCredit(window);
    this.fromDevice =
        ReceiveWindow.growing(
            window,
            Math.max(window, ProtocolLimits.GROWN_WINDOW_MAX),
            tunnel.budget().growth(),
            System::nanoTime,
            tunnel.traffic(),
            id);
  }

  public int id() {
    return id;
  }

  public String target() {
    return target;
  }

  public long deviceId() {
    return tunnel.deviceId();
  }

  // --- consumer side (any thread) ---

  /** Queues bytes for the device. Honour {@link #writeQueueFull()}; never drops bytes. */
  public void write(Buffer data) {
    queued.addAndGet(data.length());
    tunnel
        .context()
        .runOnContext(
            v -> {
              if (state == State.CLOSED || endRequested) {
                queued.addAndGet(-data.length());
                return;
              }
              tunnel.budget().hold(data.length());
              outbound.addLast(data);
              tunnel.pump();
            });
  }

  /** True while a window's worth of bytes waits for the device: stop reading your source. */
  public boolean writeQueueFull() {
    boolean full = queued.get() >= window || tunnel.budget().exhausted();
    if (full) {
      waitingForDrain = true;
    }
    return full;
  }

  /** Half-close: after the queued bytes, the device learns no more will come. */
  public void end() {
    tunnel
        .context()
        .runOnContext(
            v -> {
              endRequested = true;
              tunnel.pump();
            });
  }

  /**
   * Sends serial line settings on this channel, after the bytes written before them. Dropped once
   * the channel is closed, and so once its tunnel is gone: a replacement tunnel numbers its
   * channels from 1 again, and settings meant for this one must never reach another.
   */
  @Override
  public void line(LineSettings settings) {
    tunnel
        .context()
        .runOnContext(
            v -> {
              if (state != State.CLOSED) {
                tunnel.send(Frame.channel(FrameType.LINE, id, settings.encode()));
              }
            });
  }

  /** Aborts the channel both ways. */
  public void close(Reason reason) {
    tunnel.context().runOnContext(v -> closeFromPortal(reason));
  }

  // --- tunnel side (tunnel's event loop) ---

  void onFrame(Frame frame) throws ProtocolException {
    switch (frame.type()) {
      case OPENED -> {
        Messages.requireEmpty(frame);
        if (state != State.OPENING) {
          throw new ProtocolException("OPENED for channel " + id + " that is not opening");
        }
        state = State.OPEN;
        tunnel.channelOpened(this);
        toConsumer(() -> consumer.onOpened(this));
      }
      case REFUSED -> {
        Reason reason = Reason.decode(frame.payload(), "REFUSED");
        if (state != State.OPENING) {
          throw new ProtocolException("REFUSED for channel " + id + " that is not opening");
        }
        finish();
        toConsumer(() -> consumer.onRefused(reason));
      }
      case DATA -> {
        Messages.requireData(frame);
        onData(Buffer.buffer(frame.payload()));
      }
      case CREDIT -> {
        requireOpen(frame);
        toDevice.grant(Messages.credit(frame.payload()));
        tunnel.pump();
      }
      case EOF -> {
        Messages.requireEmpty(frame);
        requireOpen(frame);
        toConsumer(consumer::onEof);
      }
      case CLOSE -> {
        Reason reason = Reason.decode(frame.payload(), "CLOSE");
        finish();
        toConsumer(() -> consumer.onClosed(reason));
      }
      default ->
          throw new ProtocolException(frame.type() + " is not valid from the agent on a channel");
    }
  }

  /** A DATA frame's payload (at least one byte), which this channel now owns. */
  void onData(Buffer data) throws ProtocolException {
    requireOpen(FrameType.DATA);
    int n = data.length();
    fromDevice.onReceived(n);
    carried(n);
    heldFromDevice += n;
    tunnel.budget().hold(n);
    tunnel.metrics().bytesFromDevice(n);
    toConsumer(() -> consumer.onData(data, () -> tunnel.context().runOnContext(v -> delivered(n))));
  }

  private void requireOpen(Frame frame) throws ProtocolException {
    requireOpen(frame.type());
  }

  private void requireOpen(FrameType type) throws ProtocolException {
    if (state != State.OPEN) {
      throw new ProtocolException(type + " on channel " + id + " before it opened");
    }
  }

  private void delivered(int bytes) {
    if (state != State.OPEN) {
      return;
    }
    heldFromDevice -= bytes;
    tunnel.budget().release(bytes);
    long grant = fromDevice.onDelivered(bytes);
    if (grant > 0) {
      if (tunnel.budget().exhausted()) {
        // the node holds its whole budget: this device waits until the node has drained
        if (deferredGrant == 0) {
          tunnel.budget().whenDrained(() -> tunnel.context().runOnContext(v -> grantDeferred()));
        }
        deferredGrant += grant;
      } else {
        tunnel.send(Frame.channel(FrameType.CREDIT, id, Messages.credit(grant)));
      }
    }
  }

  private void grantDeferred() {
    if (state == State.OPEN && deferredGrant > 0) {
      tunnel.send(Frame.channel(FrameType.CREDIT, id, Messages.credit(deferredGrant)));
    }
    deferredGrant = 0;
  }

  /** True while this channel sent the device little lately: its next slice goes first. */
  boolean quiet(long now) {
    return toDeviceActivity.quiet(now);
  }

  /** Next DATA slice to send, or null when nothing may be sent now (no data or no credit). */
  Buffer nextSlice(int maxSlice, long now) {
    if (state != State.OPEN || outbound.isEmpty() || toDevice.available() == 0) {
      return null;
    }
    Buffer head = outbound.peekFirst();
    int n = toDevice.take(Math.min(maxSlice, head.length()));
    Buffer slice;
    if (n == head.length()) {
      slice = outbound.removeFirst();
    } else {
      // views, not copies: with little credit a long buffer would be copied once per grant
      slice = head.slice(0, n);
      outbound.removeFirst();
      outbound.addFirst(head.slice(n, head.length()));
    }
    toDeviceActivity.sent(n, now);
    carried(n);
    long left = queued.addAndGet(-n);
    tunnel.budget().release(n);
    if (waitingForDrain && left < window / 2) {
      waitingForDrain = false;
      toConsumer(consumer::onWritable);
    }
    return slice;
  }

  private void carried(int n) {
    long now = System.nanoTime();
    carried.sent(n, now);
    tunnel.traffic().data(id, carried, now);
  }

  /** An EOF to send once everything queued has gone out. */
  boolean eofDue() {
    return state == State.OPEN && endRequested && !eofSent && outbound.isEmpty();
  }

  void eofSent() {
    eofSent = true;
  }

  /** The tunnel went away: tell the consumer once. */
  void tunnelClosed(Reason reason) {
    if (state != State.CLOSED) {
      finish();
      toConsumer(() -> consumer.onClosed(reason));
    }
  }

  private void closeFromPortal(Reason reason) {
    if (state == State.CLOSED) {
      return;
    }
    tunnel.send(Frame.channel(FrameType.CLOSE, id, reason.encode()));
    finish();
    toConsumer(() -> consumer.onClosed(reason));
  }

  private void finish() {
    state = State.CLOSED;
    long unsent = outbound.stream().mapToLong(Buffer::length).sum();
    outbound.clear();
    queued.addAndGet(-unsent);
    tunnel.budget().release(unsent + heldFromDevice);
    heldFromDevice = 0;
    fromDevice.release();
    tunnel.channelClosed(this);
  }

  private void toConsumer(Runnable action) {
    consumerContext.runOnContext(v -> action.run());
  }
}
