package io.tether.cli;

import io.tether.cli.rfc2217.Rfc2217Stream;
import io.tether.protocol.ChannelIds;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.Messages;
import io.tether.protocol.Open;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.Reason;
import io.tether.protocol.Welcome;
import io.tether.wsclient.ByteStream;
import io.tether.wsclient.FrameSocket;
import io.tether.wsclient.SocketOwner;
import io.tether.wsclient.StreamChannel;
import io.tether.wsclient.TcpStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepts local TCP connections and opens one channel per connection over the forward socket; with
 * RFC 2217 each connection speaks Telnet and its COM port commands become LINE frames.
 */
final class Forwarder extends SocketOwner implements FrameSocket.Handler {
  private final String target;
  private final boolean rfc2217;
  private final boolean takeOver;
  private final PrintStream log;
  private final Map<Integer, Socket> pending = new ConcurrentHashMap<>();
  private final Map<Integer, StreamChannel> channels = new ConcurrentHashMap<>();
  private final ChannelIds ids = new ChannelIds();
  private final CompletableFuture<Welcome> welcome = new CompletableFuture<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  Forwarder(String target, boolean rfc2217, boolean takeOver, PrintStream log) {
    this.target = target;
    this.rfc2217 = rfc2217;
    this.takeOver = takeOver;
    this.log = log;
  }

  CompletableFuture<Welcome> welcome() {
    return welcome;
  }

  /** Completes with the reason when the portal connection ends. */
  CompletableFuture<String> closed() {
    return closed;
  }

  /** Accepts connections until the portal connection ends. */
  void serve(ServerSocket server) {
    while (!closed.isDone()) {
      try {
        Socket local = server.accept();
        int id;
        synchronized (ids) {
          id = ids.allocate();
        }
        pending.put(id, local);
        log("connection from " + local.getRemoteSocketAddress() + ": opening channel " + id);
        send(
            Frame.channel(
                FrameType.OPEN, id, new Open(target, Optional.empty(), takeOver).encode()));
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void onFrame(Frame frame) throws ProtocolException {
    switch (frame.type()) {
      case WELCOME -> welcome.complete(Welcome.decode(frame.payload()));
      case PING ->
          send(Frame.control(FrameType.PONG, Messages.nonce(Messages.nonce(frame.payload()))));
      case PONG -> Messages.nonce(frame.payload());
      case OPENED -> opened(frame.channel());
      case REFUSED -> {
        Reason reason = Reason.decode(frame.payload(), "REFUSED");
        Socket local = pending.remove(frame.channel());
        log(
            "channel "
                + frame.channel()
                + (reason.code() == Reason.TARGET_BUSY
                    ? " refused, the target is busy: " + reason.message()
                    : " refused: " + reason));
        closeQuietly(local);
      }
      case DATA, CREDIT, EOF, CLOSE -> {
        StreamChannel ch = channels.get(frame.channel());
        if (ch == null) {
          return; // late frame for a channel that just closed
        }
        switch (frame.type()) {
          case DATA -> ch.onData(frame.payload());
          case CREDIT -> ch.onCredit(Messages.credit(frame.payload()));
          case EOF -> ch.onEof();
          default -> {
            log(
                "channel "
                    + frame.channel()
                    + " closed by the portal: "
                    + Reason.decode(frame.payload(), "CLOSE"));
            channels.remove(frame.channel());
            ch.abort();
          }
        }
      }
      default -> throw new ProtocolException(frame.type() + " is not valid from the portal");
    }
  }

  private void opened(int id) {
    Socket local = pending.remove(id);
    if (local == null) {
      return;
    }
    try {
      StreamChannel ch =
          new StreamChannel(id, localEnd(id, local), this, welcome.join().windowBytes());
      channels.put(id, ch);
      ch.start();
      log("channel " + id + " open");
    } catch (IOException e) {
      channelEnded(id, new Reason(Reason.IO_ERROR, e.getMessage()));
    }
  }

  private ByteStream localEnd(int id, Socket local) throws IOException {
    TcpStream tcp = new TcpStream(local);
    if (!rfc2217) {
      return tcp;
    }
    return new Rfc2217Stream(
        tcp,
        line -> send(Frame.channel(FrameType.LINE, id, line.encode())),
        line -> log("channel " + id + ": " + line));
  }

  @Override
  public void onClosed(int code, String reason) {
    channels.values().forEach(StreamChannel::abort);
    pending.values().forEach(Forwarder::closeQuietly);
    welcome.completeExceptionally(new IOException("closed before WELCOME: " + code + " " + reason));
    closed.complete(code + (reason == null || reason.isEmpty() ? "" : " " + reason));
  }

  @Override
  public void log(String line) {
    log.println("tether-cli: " + line);
  }

  @Override
  public void channelEnded(int id, Reason reason) {
    if (channels.remove(id) != null) {
      log("channel " + id + " closed: " + reason);
      send(Frame.channel(FrameType.CLOSE, id, reason.encode()));
    }
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
