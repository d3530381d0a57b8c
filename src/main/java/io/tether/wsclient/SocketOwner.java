package io.tether.wsclient;

import io.tether.protocol.Frame;
import io.tether.protocol.InteractiveTraffic;
import java.util.List;

/**
 * A {@link StreamChannel.Owner} whose channels' frames go out on one {@link FrameSocket}: the
 * agent's tunnel and the CLI's forward socket. Frames sent before the socket is attached, or by a
 * channel outliving it, are dropped: the channel is aborted when the socket closes.
 */
public abstract class SocketOwner implements StreamChannel.Owner {
  private final InteractiveTraffic traffic = new InteractiveTraffic();
  private volatile FrameSocket socket;

  /** From now on frames go out on {@code socket}. */
  public final void attach(FrameSocket socket) {
    this.socket = socket;
  }

  /** The socket the frames go out on; null until attached. */
  protected final FrameSocket socket() {
    return socket;
  }

  @Override
  public final void send(Frame frame) {
    FrameSocket s = socket;
    if (s != null) {
      s.send(frame);
    }
  }

  @Override
  public final void sendEncoded(byte[] message) {
    FrameSocket s = socket;
    if (s != null) {
      s.send(message);
    }
  }

  @Override
  public final void sendEncoded(List<byte[]> messages) {
    FrameSocket s = socket;
    if (s != null) {
      s.sendAll(messages);
    }
  }

  @Override
  public final void awaitSendRoom(long bytes, long timeoutMillis) throws InterruptedException {
    FrameSocket s = socket;
    if (s != null) {
      s.awaitQueuedBelow(bytes, timeoutMillis);
    }
  }

  @Override
  public final InteractiveTraffic traffic() {
    return traffic;
  }
}
