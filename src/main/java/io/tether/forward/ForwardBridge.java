package io.tether.forward;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.Messages;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.Reason;
import io.tether.protocol.ReceiveWindow;
import io.tether.protocol.SendCredit;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;

/**
 * Splices one CLI channel to one device channel, with credit per hop: the device's bytes are
 * delivered (its credit released) once the CLI's socket has taken their last slice, and the CLI
 * gets credit once its bytes are written to the device channel; the CLI's own credit bounds what
 * the portal sends it. So the portal holds at most the device's window of a channel, and each hop's
 * window covers only its own round trip. Runs on the forward session's event loop.
 */
final class ForwardBridge implements ForwardEnd {
  /** The CLI's socket as a bridge sees it ({@link ForwardSession}; a fake in unit tests). */
  interface Cli {
    void send(Frame frame);

    /**
     * Queues a DATA slice; {@code written} (null: nothing waits) runs once the socket has taken it,
     * or once it is gone.
     */
    void sendData(int id, Buffer slice, Runnable written);

    void bridgeEnded(int id);

    void line(DeviceChannel channel, io.tether.protocol.LineSettings settings);
  }

  /** Bytes from the device waiting for CLI credit, with their delivery callback. */
  private record Held(Buffer data, Runnable delivered) {}

  private final int id;
  private final Cli session;
  private final SendCredit toCli;
  private final ReceiveWindow fromCli;
  private final ArrayDeque<Held> waiting = new ArrayDeque<>();
  private int headOffset;
  private long grantDeferred;
  private DeviceChannel channel;
  private boolean closed;
  private boolean eofPending;

  ForwardBridge(int id, Cli session, long window) {
    this.id = id;
    this.session = session;
    this.toCli = new SendCredit(window);
    this.fromCli = new ReceiveWindow(window);
  }

  // --- device side ---

  @Override
  public void onOpened(DeviceChannel opened) {
    if (closed) {
      opened.close(new Reason(Reason.PEER_CLOSED, "the CLI closed the channel"));
      return;
    }
    channel = opened;
    session.send(Frame.channel(FrameType.OPENED, id, Frame.EMPTY));
  }

  @Override
  public void onRefused(Reason reason) {
    closed = true;
    session.bridgeEnded(id);
    session.send(Frame.channel(FrameType.REFUSED, id, reason.encode()));
  }

  @Override
  public void onData(Buffer data, Runnable delivered) {
    waiting.addLast(new Held(data, delivered));
    flush();
  }

  /**
   * The device's side ended: the CLI learns it after every byte before it, some of which may still
   * wait here for the CLI's credit (a device's grown window can be larger than the CLI's).
   */
  @Override
  public void onEof() {
    eofPending = true;
    flush();
  }

  @Override
  public void onClosed(Reason reason) {
    if (!closed) {
      closed = true;
      session.bridgeEnded(id);
      session.send(Frame.channel(FrameType.CLOSE, id, reason.encode()));
    }
  }

  @Override
  public void onWritable() {
    if (grantDeferred > 0) {
      long n = grantDeferred;
      grantDeferred = 0;
      grant(n);
    }
  }

  // --- CLI side ---

  /** A DATA frame's payload from the CLI (at least one byte), which the bridge now owns. */
  void onCliData(Buffer payload) throws ProtocolException {
    if (channel == null) {
      throw new ProtocolException("DATA on channel " + id + " before OPENED");
    }
    int n = payload.length();
    fromCli.onReceived(n);
    channel.write(payload);
    if (channel.writeQueueFull()) {
      grantDeferred += n;
    } else {
      grant(n);
    }
  }

  void onCliFrame(Frame frame) throws ProtocolException {
    switch (frame.type()) {
      case CREDIT -> {
        toCli.grant(Messages.credit(frame.payload()));
        flush();
      }
      case EOF -> {
        if (channel != null) {
          channel.end();
        }
      }
      case CLOSE -> abort(Reason.decode(frame.payload(), "CLOSE"));
      case LINE -> {
        if (channel != null) {
          session.line(channel, io.tether.protocol.LineSettings.decode(frame.payload()));
        }
      }
      default ->
          throw new ProtocolException(frame.type() + " is not valid from the CLI on a channel");
    }
  }

  /** Access ended: close the device channel and tell the CLI why. */
  @Override
  public void revoke(Reason reason) {
    if (!closed) {
      abort(reason);
      session.send(Frame.channel(FrameType.CLOSE, id, reason.encode()));
    }
  }

  /** The CLI side went away or closed the channel: close the device channel. */
  void abort(Reason reason) {
    if (!closed) {
      closed = true;
      session.bridgeEnded(id);
      if (channel != null) {
        channel.close(reason);
      }
    }
  }

  private void grant(long bytes) {
    long credit = fromCli.onDelivered(bytes);
    if (credit > 0) {
      session.send(Frame.channel(FrameType.CREDIT, id, Messages.credit(credit)));
    }
  }

  /**
   * Sends device bytes to the CLI while it has credit, in slices; a device buffer is delivered when
   * the socket has taken its last slice (a channel's slices leave in order).
   */
  private void flush() {
    while (!waiting.isEmpty() && toCli.available() > 0 && !closed) {
      Held head = waiting.peekFirst();
      int remaining = head.data().length() - headOffset;
      int n = toCli.take(Math.min(remaining, ProtocolLimits.DATA_SLICE));
      Buffer slice = head.data().slice(headOffset, headOffset + n); // a view: copied once, below
      headOffset += n;
      boolean last = headOffset == head.data().length();
      session.sendData(id, slice, last ? head.delivered() : null);
      if (last) {
        waiting.removeFirst();
        headOffset = 0;
      }
    }
    if (eofPending && waiting.isEmpty() && !closed) {
      eofPending = false;
      session.send(Frame.channel(FrameType.EOF, id, Frame.EMPTY));
    }
  }
}
