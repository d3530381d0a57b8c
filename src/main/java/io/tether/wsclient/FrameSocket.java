package io.tether.wsclient;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.TunnelCloseCode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A WebSocket to the portal carrying one frame per binary message, on plain NIO: the process's one
 * selector thread ({@link IoLoop}) opens it and reads it; a sender writes its frame itself when the
 * socket can take it (no thread hand-off per message), and frames sent while a write is under way
 * go out together in the next one (see {@link SendPath}).
 */
public final class FrameSocket {
  /**
   * What the socket's owner hears, on the selector thread: a handler must not block; it queues work
   * or hands it to its own executor.
   */
  public interface Handler {
    void onFrame(Frame frame) throws ProtocolException;

    /** Called once, when the socket is closed by either side or fails. */
    void onClosed(int code, String reason);
  }

  /** Connecting gives up after this long (TCP, proxy, TLS and the HTTP upgrade). */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  /**
   * The token header a client also sends beside Authorization: some HTTP clients and proxies drop a
   * user-set Authorization header, so the portal accepts this one when Authorization is absent.
   */
  public static final String TOKEN_HEADER = "X-Tether-Token";

  /**
   * The socket's kernel send buffer (SO_SNDBUF; Linux doubles it for its bookkeeping). Every byte
   * queued there is a byte a keystroke on another channel waits behind, so it is not left to
   * autotuning (which grows to megabytes); see docs/benchmarks.md for what was measured.
   */
  static final int SEND_BUFFER = 128 * 1024;

  /** Bytes read from the socket per call, and so the largest run of frames decoded at once. */
  static final int READ_BUFFER = 64 * 1024;

  /** How long a closing socket waits for the server's close frame before dropping the socket. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** The largest message: one Tether frame. */
  static final int MAX_MESSAGE = ProtocolLimits.HEADER_SIZE + ProtocolLimits.MAX_PAYLOAD;

  private static final int NO_STATUS = ServerFrameDecoder.NO_STATUS;

  private final Handler handler;
  private final IoLoop loop = IoLoop.get();
  private final SendPath out;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final ServerFrameDecoder decoder = new ServerFrameDecoder(MAX_MESSAGE, new Received());
  private SocketChannel channel;
  private Transport transport;
  private ByteBuffer in;
  private volatile boolean closeReceived;

  private FrameSocket(Handler handler, Outbox outbox) {
    this.handler = handler;
    this.out = new SendPath(outbox, this, loop);
  }

  /**
   * Connects with {@code Authorization: Bearer token} and the protocol's subprotocol. Fails with
   * {@link UpgradeRefused} when the server answers the upgrade with another status.
   */
  public static CompletableFuture<FrameSocket> connect(
      WsConfig config, URI uri, String token, Handler handler) {
    return connect(config, uri, token, handler, new PriorityOutbox());
  }

  /** The same, with frames waiting to be written kept (and ordered) by {@code outbox}. */
  public static CompletableFuture<FrameSocket> connect(
      WsConfig config, URI uri, String token, Handler handler, Outbox outbox) {
    return Opening.open(config, uri, token, new FrameSocket(handler, outbox));
  }

  /** Sends a frame after those sent before it. */
  public void send(Frame frame) {
    send(FrameCodec.encode(frame));
  }

  /** Sends a frame already encoded as one message; the array must not change afterwards. */
  public void send(byte[] encodedFrame) {
    if (!finished.get()) {
      out.send(encodedFrame);
    }
  }

  /** Sends frames already encoded, queued together so they can go out in one write. */
  public void sendAll(java.util.List<byte[]> encodedFrames) {
    if (!finished.get()) {
      out.sendAll(encodedFrames);
    }
  }

  /** Bytes of frames accepted by {@link #send} and not yet taken for writing. */
  public long queuedBytes() {
    return out.queuedBytes();
  }

  /**
   * Waits until fewer than {@code bytes} of frames wait to be written, the socket closes, or {@code
   * timeoutMillis} passed: a bulk sender's bound on what it queues ahead of the socket.
   */
  public void awaitQueuedBelow(long bytes, long timeoutMillis) throws InterruptedException {
    if (!finished.get()) {
      out.awaitQueuedBelow(bytes, timeoutMillis);
    }
  }

  /** A clean close with a code and reason; frames not yet written are dropped. */
  public void close(int code, String reason) {
    if (out.close(closePayload(code, reason))) {
      closeLater();
    }
    finish(code, reason);
  }

  /** Drops the connection at once (a dead peer will not answer a close). */
  public void abort(int code, String reason) {
    closeChannel();
    finish(code, reason);
  }

  /** The upgrade succeeded: from now on the loop hands this socket's events here. */
  void opened(SocketChannel channel, SelectionKey key, Transport transport, ByteBuffer in) {
    this.channel = channel;
    this.transport = transport;
    this.in = in;
    out.opened(key, transport);
    key.attach((IoLoop.Attachment) this::ready);
    key.interestOps(SelectionKey.OP_READ);
  }

  private void ready(SelectionKey key) {
    try {
      if (key.isWritable()) {
        out.writable();
      }
      if (key.isValid() && key.isReadable()) {
        readNow();
      }
    } catch (CancelledKeyException e) {
      // closed meanwhile
    }
  }

  /** Reads and decodes all the socket has (also what came with the upgrade's answer). */
  void readNow() {
    try {
      while (true) {
        int n = transport.read(in);
        in.flip();
        decoder.feed(in);
        if (decoder.done()) {
          in.clear(); // nothing more is read from a closed or broken stream
        } else {
          in.compact();
        }
        if (n < 0) {
          abort(1006, closeReceived ? "" : "the connection ended without a close frame");
          return;
        }
        if (n == 0) {
          break;
        }
      }
      if (transport.wantsWrite()) {
        out.kick(); // TLS wants to answer something (a key update)
      }
    } catch (IOException e) {
      abort(1006, String.valueOf(e.getMessage()));
    }
  }

  /** The close frame was written: the socket ends once the server's close came too. */
  void closeSent() {
    if (closeReceived) {
      closeChannel();
    }
  }

  /** Writing failed: the connection is gone. */
  void writeFailed(Exception e) {
    abort(1006, "send failed: " + e.getMessage());
  }

  private void closeChannel() {
    SocketChannel c = channel;
    loop.execute(() -> closeQuietly(c));
  }

  /**
   * Drops the socket if the close handshake has not ended it in time. The timer holds the channel
   * only, not this socket: a closed channel holds no key, so the handler is not kept reachable.
   */
  private void closeLater() {
    SocketChannel c = channel;
    loop.schedule(CLOSE_TIMEOUT, () -> closeQuietly(c));
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private void finish(int code, String reason) {
    if (finished.compareAndSet(false, true)) {
      out.dropQueued();
      handler.onClosed(code, reason);
    }
  }

  /** Code and UTF-8 reason, the reason cut at a character to fit a control frame. */
  static byte[] closePayload(int code, String reason) {
    byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(text.length, ProtocolLimits.MAX_CLOSE_REASON_BYTES);
    while (length < text.length && length > 0 && (text[length] & 0xC0) == 0x80) {
      length--; // not inside a character
    }
    ByteBuffer payload = ByteBuffer.allocate(2 + length).putShort((short) code);
    return payload.put(text, 0, length).array();
  }

  /** The decoder's events, on the selector thread. */
  private final class Received implements ServerFrameDecoder.Events {
    @Override
    public void message(byte[] data, int length) {
      if (finished.get()) {
        return;
      }
      try {
        handler.onFrame(FrameCodec.decode(data, 0, length));
      } catch (ProtocolException e) {
        close(e.closeCode().code(), e.getMessage());
      } catch (RuntimeException e) {
        close(TunnelCloseCode.PROTOCOL_ERROR.code(), "internal error: " + e);
      }
    }

    @Override
    public void ping(byte[] payload) {
      out.pong(payload);
    }

    @Override
    public void close(int code, String reason) {
      closeReceived = true;
      // echo the code (RFC 6455 section 5.5.1); a close without one is answered without one
      byte[] echo = code == NO_STATUS ? new byte[0] : closePayload(code, "");
      if (out.close(echo)) {
        closeLater();
      } else if (out.closeWritten()) {
        closeChannel();
      }
      finish(code, reason);
    }

    @Override
    public void violation(int code, String reason) {
      FrameSocket.this.close(code, reason);
    }
  }
}
