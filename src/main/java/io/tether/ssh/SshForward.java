package io.tether.ssh;

import io.tether.forward.ForwardEnd;
import io.tether.protocol.Reason;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.apache.sshd.server.session.ServerSession;

/**
 * A {@code direct-tcpip} channel ({@code ssh -L 4001:TARGET:1 USER:DEVICE@portal}): the host the
 * client names is a target of the device the login names (the port is ignored: the portal only ever
 * names targets, never hosts or ports). Admitted like a tether-cli forward: a TCP target counted in
 * the same forward session rows, a serial target as a participant of its session; flow control end
 * to end: the client's SSH window is given back only as the device channel takes the bytes, and the
 * device gets credit only as the SSH client takes its bytes. Everything but SSHD's own callbacks
 * runs on the connection's Vert.x context.
 */
final class SshForward extends AbstractServerChannel implements ForwardEnd {
  static final String TYPE = "direct-tcpip";

  private final SshFrontDoor door;
  private final Deque<Pending> writes = new ArrayDeque<>();
  private Context context;
  private DefaultOpenFuture opening;
  private ChannelAsyncOutputStream out;
  private DeviceChannel device;
  private SshForwards.Opened admitted;
  private long windowOwed;
  private boolean writing;
  private boolean eofPending;
  private boolean ended;

  /** Device bytes waiting for the SSH client, with the callback that gives the device credit. */
  private record Pending(byte[] data, Runnable delivered) {}

  private SshForward(SshFrontDoor door) {
    super("", java.util.List.of(), null);
    this.door = door;
  }

  static ChannelFactory factory(SshFrontDoor door) {
    return new ChannelFactory() {
      @Override
      public String getName() {
        return TYPE;
      }

      @Override
      public Channel createChannel(Session session) {
        return new SshForward(door);
      }
    };
  }

  @Override
  protected OpenFuture doInit(org.apache.sshd.common.util.buffer.Buffer buffer) {
    String target = buffer.getString();
    buffer.getInt(); // the port: targets are named, never addressed
    opening = new DefaultOpenFuture(target, futureLock);
    out = new ChannelAsyncOutputStream(this, SshConstants.SSH_MSG_CHANNEL_DATA);
    ServerSession session = getServerSession();
    context = door.forwards().contextOf(session);
    door.forwards().open(session, target, this, context);
    return opening;
  }

  /** The forward was admitted and its device channel asked for: remember what to end later. */
  void admitted(SshForwards.Opened opened) {
    this.admitted = opened;
  }

  // --- from the device (on the context) ---

  @Override
  public void onOpened(DeviceChannel channel) {
    if (ended) {
      channel.close(new Reason(Reason.PEER_CLOSED, "the SSH client closed the channel"));
      return;
    }
    device = channel;
    signalChannelOpenSuccess();
    opening.setOpened();
  }

  @Override
  public void onRefused(Reason reason) {
    refuse(reason.toString());
  }

  /** The open fails with {@code why} in the client's "channel open failed" line. */
  void refuse(String why) {
    ended = true;
    opening.setException(
        new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_CONNECT_FAILED, why));
    door.forwards().ended(this);
  }

  @Override
  public void onData(Buffer data, Runnable delivered) {
    writes.addLast(new Pending(data.getBytes(), delivered));
    writeNext();
  }

  private void writeNext() {
    if (writing || ended) {
      return;
    }
    Pending next = writes.pollFirst();
    if (next == null) {
      if (eofPending) {
        eofPending = false;
        sendEofQuietly();
      }
      return;
    }
    writing = true;
    try {
      out.writeBuffer(new ByteArrayBuffer(next.data()))
          .addListener(
              f ->
                  context.runOnContext(
                      v -> {
                        writing = false;
                        if (f.isWritten()) {
                          next.delivered().run();
                          writeNext();
                        } else {
                          endBoth(new Reason(Reason.PEER_CLOSED, "the SSH client went away"));
                        }
                      }));
    } catch (IOException | RuntimeException e) {
      writing = false;
      endBoth(new Reason(Reason.PEER_CLOSED, "the SSH client went away"));
    }
  }

  @Override
  public void onEof() {
    eofPending = true;
    writeNext();
  }

  @Override
  public void onClosed(Reason reason) {
    device = null;
    if (!ended) {
      ended = true;
      door.forwards().ended(this);
      close(false);
    }
  }

  @Override
  public void onWritable() {
    giveWindowBack();
  }

  @Override
  public void revoke(Reason reason) {
    endBoth(reason);
  }

  // --- from the SSH client (SSHD's threads) ---

  @Override
  protected void doWriteData(byte[] data, int off, long len) {
    byte[] copy = java.util.Arrays.copyOfRange(data, off, off + (int) len);
    context.runOnContext(
        v -> {
          if (device == null || ended) {
            return;
          }
          device.write(Buffer.buffer(copy));
          windowOwed += copy.length;
          if (!device.writeQueueFull()) {
            giveWindowBack();
          }
        });
  }

  @Override
  protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
    throw new IOException("direct-tcpip carries no extended data");
  }

  @Override
  public void handleEof() throws IOException {
    super.handleEof();
    context.runOnContext(
        v -> {
          if (device != null && !ended) {
            device.end();
          }
        });
  }

  @Override
  public void handleWindowAdjust(org.apache.sshd.common.util.buffer.Buffer buffer)
      throws IOException {
    super.handleWindowAdjust(buffer);
    out.onWindowExpanded();
  }

  @Override
  protected void preClose() {
    if (context != null) {
      context.runOnContext(
          v -> endBoth(new Reason(Reason.PEER_CLOSED, "the SSH client closed the channel")));
    }
    super.preClose();
  }

  // --- on the context ---

  private void giveWindowBack() {
    long owed = windowOwed;
    windowOwed = 0;
    if (owed > 0) {
      try {
        getLocalWindow().release(owed);
      } catch (IOException e) {
        endBoth(new Reason(Reason.PEER_CLOSED, "the SSH client went away"));
      }
    }
  }

  private void endBoth(Reason reason) {
    if (ended) {
      return;
    }
    ended = true;
    for (Pending p : writes) {
      p.delivered().run();
    }
    writes.clear();
    if (device != null) {
      DeviceChannel d = device;
      device = null;
      d.close(reason);
    }
    door.forwards().ended(this);
    close(false);
  }

  private void sendEofQuietly() {
    try {
      sendEof();
    } catch (IOException e) {
      endBoth(new Reason(Reason.PEER_CLOSED, "the SSH client went away"));
    }
  }

  SshForwards.Opened opened() {
    return admitted;
  }
}
