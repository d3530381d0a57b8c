package io.tether.deviceweb;

import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS to an {@code https} web target, spoken over its channel by an {@link SSLEngine}: the device's
 * certificate is not checked against a CA (devices have self-signed ones) but pinned by its SHA-256
 * on first use; the exchange sees the channel only after {@code pin} accepted it. Runs on the
 * exchange's event loop.
 */
final class TlsChannel implements ChannelConsumer, DeviceChannel {
  /**
   * Pins a certificate fingerprint on first use; answers the pinned one through the callback (null
   * when it could not be read), on the exchange's event loop.
   */
  interface Pin {
    void check(String sha256, java.util.function.Consumer<String> pinned);
  }

  private final ChannelConsumer inner;
  private final SSLEngine engine;
  private final Pin pin;
  private final BiConsumer<String, String> refusedCertificate;
  private DeviceChannel channel;
  private ByteBuffer netIn = ByteBuffer.allocate(0);
  private boolean open;
  private boolean closed;
  private String fingerprint;

  TlsChannel(ChannelConsumer inner, String host, Pin pin, BiConsumer<String, String> refused) {
    this.inner = inner;
    this.pin = pin;
    this.refusedCertificate = refused;
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new PinLater()}, null);
      int colon = host.lastIndexOf(':');
      engine =
          colon > 0 && !host.endsWith("]")
              ? tls.createSSLEngine(
                  host.substring(0, colon), Integer.parseInt(host.substring(colon + 1)))
              : tls.createSSLEngine(host, 443);
      engine.setUseClientMode(true);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String fingerprint() {
    return fingerprint;
  }

  // --- from the device ---

  @Override
  public void onOpened(DeviceChannel opened) {
    channel = opened;
    try {
      engine.beginHandshake();
      pump();
    } catch (SSLException e) {
      fail("TLS with the device failed: " + e.getMessage());
    }
  }

  @Override
  public void onRefused(Reason reason) {
    inner.onRefused(reason);
  }

  @Override
  public void onData(Buffer data, Runnable delivered) {
    ByteBuffer merged = ByteBuffer.allocate(netIn.remaining() + data.length());
    merged.put(netIn).put(data.getBytes()).flip();
    netIn = merged;
    Buffer plain = Buffer.buffer();
    try {
      while (!closed) {
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        SSLEngineResult r = engine.unwrap(netIn, out);
        out.flip();
        if (out.hasRemaining()) {
          byte[] b = new byte[out.remaining()];
          out.get(b);
          plain.appendBytes(b);
        }
        handshakeStep(r.getHandshakeStatus());
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
            || r.getStatus() == SSLEngineResult.Status.CLOSED
            || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
          break;
        }
      }
    } catch (SSLException e) {
      delivered.run();
      fail("TLS with the device failed: " + e.getMessage());
      return;
    }
    if (plain.length() > 0 && open) {
      inner.onData(plain, delivered);
    } else {
      delivered.run();
    }
  }

  @Override
  public void onEof() {
    inner.onEof();
  }

  @Override
  public void onClosed(Reason reason) {
    closed = true;
    inner.onClosed(reason);
  }

  @Override
  public void onWritable() {
    inner.onWritable();
  }

  // --- to the device ---

  @Override
  public String target() {
    return channel.target();
  }

  @Override
  public long deviceId() {
    return channel.deviceId();
  }

  @Override
  public void write(Buffer data) {
    ByteBuffer src = ByteBuffer.wrap(data.getBytes());
    try {
      while (src.hasRemaining()) {
        wrap(src);
      }
    } catch (SSLException e) {
      fail("TLS with the device failed: " + e.getMessage());
    }
  }

  @Override
  public boolean writeQueueFull() {
    return channel.writeQueueFull();
  }

  @Override
  public void end() {
    channel.end();
  }

  @Override
  public void line(LineSettings settings) {
    channel.line(settings);
  }

  @Override
  public void close(Reason reason) {
    closed = true;
    if (channel != null) {
      channel.close(reason);
    }
  }

  private void pump() throws SSLException {
    handshakeStep(engine.getHandshakeStatus());
  }

  private void handshakeStep(SSLEngineResult.HandshakeStatus status) throws SSLException {
    SSLEngineResult.HandshakeStatus s = status;
    while (true) {
      switch (s) {
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run(); // certificate checks and key agreement: milliseconds, once per channel
          }
          s = engine.getHandshakeStatus();
        }
        case NEED_WRAP -> {
          s = wrap(ByteBuffer.allocate(0)).getHandshakeStatus();
        }
        case FINISHED -> {
          handshakeDone();
          return;
        }
        default -> {
          return;
        }
      }
    }
  }

  private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    SSLEngineResult r = engine.wrap(src, out);
    out.flip();
    if (out.hasRemaining()) {
      byte[] b = new byte[out.remaining()];
      out.get(b);
      channel.write(Buffer.buffer(b));
    }
    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
      handshakeDone();
    }
    return r;
  }

  private void handshakeDone() {
    if (open || fingerprint != null) {
      return;
    }
    try {
      Certificate[] chain = engine.getSession().getPeerCertificates();
      fingerprint =
          HexFormat.of()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
    } catch (Exception e) {
      fail("the device presented no certificate");
      return;
    }
    pin.check(
        fingerprint,
        pinned -> {
          if (closed) {
            return;
          }
          if (fingerprint.equals(pinned)) {
            open = true;
            inner.onOpened(this);
          } else {
            refusedCertificate.accept(fingerprint, pinned);
            close(new Reason(Reason.PEER_CLOSED, "certificate changed"));
          }
        });
  }

  private void fail(String why) {
    if (!closed) {
      inner.onRefused(new Reason(Reason.IO_ERROR, why));
      close(new Reason(Reason.IO_ERROR, why));
    }
  }

  /** Accepts any chain during the handshake: the fingerprint is pinned after it. */
  private static final class PinLater implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
