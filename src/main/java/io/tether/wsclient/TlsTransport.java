package io.tether.wsclient;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS over a non-blocking socket with an {@link SSLEngine}: SNI and host name verification ("HTTPS"
 * endpoint identification) on. Reads (unwrap) and writes (wrap) may run on two threads at once,
 * which SSLEngine allows; each side keeps its own buffers.
 */
final class TlsTransport implements Transport {
  /** Encrypted bytes read or written per socket call: several TLS records at once. */
  private static final int NET_BUFFER = 64 * 1024;

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SocketChannel channel;
  private final SSLEngine engine;
  private final ByteBuffer netIn;
  private final ByteBuffer netOut;
  private final ByteBuffer handshakeApp;
  private boolean begun;

  TlsTransport(SocketChannel channel, SSLContext context, String host, int port) {
    this.channel = channel;
    this.engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    int packet = engine.getSession().getPacketBufferSize();
    this.netIn = ByteBuffer.allocateDirect(Math.max(NET_BUFFER, packet));
    this.netOut = ByteBuffer.allocateDirect(Math.max(NET_BUFFER, packet));
    this.handshakeApp = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
  }

  /** The largest plaintext one record gives: a read buffer must have this much room. */
  int applicationBufferSize() {
    return engine.getSession().getApplicationBufferSize();
  }

  /**
   * Advances the handshake as far as the socket allows; true once it is done. When false, wait for
   * writable if {@link #wantsWrite()}, else for readable.
   */
  boolean handshake() throws IOException {
    if (!begun) {
      engine.beginHandshake();
      begun = true;
    }
    while (true) {
      if (!flush()) {
        return false;
      }
      HandshakeStatus status = engine.getHandshakeStatus();
      switch (status) {
        case NOT_HANDSHAKING, FINISHED -> {
          return true;
        }
        case NEED_TASK -> runTasks();
        case NEED_WRAP -> wrap(EMPTY);
        default -> {
          if (!unwrap(handshakeApp) && netInStarved()) {
            return false;
          }
        }
      }
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int produced = drain(handshakeApp, dst);
    while (true) {
      SSLEngineResult result = unwrapResult(dst);
      produced += result.bytesProduced();
      switch (result.getStatus()) {
        case CLOSED -> {
          return produced > 0 ? produced : -1;
        }
        case BUFFER_OVERFLOW -> {
          return produced;
        }
        case BUFFER_UNDERFLOW -> {
          if (produced > 0) {
            return produced;
          }
          int n = channel.read(netIn);
          if (n <= 0) {
            return n;
          }
        }
        default -> {
          if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
          }
        }
      }
    }
  }

  @Override
  public boolean write(ByteBuffer src) throws IOException {
    while (src.hasRemaining() || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
      if (!wrap(src)) {
        return false;
      }
    }
    return flush();
  }

  @Override
  public boolean wantsWrite() {
    return netOut.position() > 0 || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
  }

  /** One wrap into netOut; false if netOut was full and the socket took none of it. */
  private boolean wrap(ByteBuffer src) throws IOException {
    SSLEngineResult result = engine.wrap(src, netOut);
    switch (result.getStatus()) {
      case BUFFER_OVERFLOW -> {
        return flush();
      }
      case CLOSED -> throw new SSLException("TLS closed");
      default -> {
        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
          runTasks();
        }
        return true;
      }
    }
  }

  /** Writes netOut; true when it is empty. */
  private boolean flush() throws IOException {
    if (netOut.position() == 0) {
      return true;
    }
    netOut.flip();
    channel.write(netOut);
    netOut.compact();
    return netOut.position() == 0;
  }

  /** One unwrap during the handshake; false when it needed more bytes. */
  private boolean unwrap(ByteBuffer dst) throws IOException {
    SSLEngineResult result = unwrapResult(dst);
    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
      throw new EOFException("the server closed TLS during the handshake");
    }
    return result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW;
  }

  /** Reads more encrypted bytes; true when there were none now. */
  private boolean netInStarved() throws IOException {
    int n = channel.read(netIn);
    if (n < 0) {
      throw new EOFException("the server closed the connection during the TLS handshake");
    }
    return n == 0;
  }

  private SSLEngineResult unwrapResult(ByteBuffer dst) throws SSLException {
    netIn.flip();
    try {
      return engine.unwrap(netIn, dst);
    } finally {
      netIn.compact();
    }
  }

  private static int drain(ByteBuffer from, ByteBuffer to) {
    if (from.position() == 0) {
      return 0;
    }
    from.flip();
    int n = Math.min(from.remaining(), to.remaining());
    to.put(to.position(), from, from.position(), n).position(to.position() + n);
    from.position(from.position() + n).compact();
    return n;
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }
}
