package io.tether.wsclient;

import io.tether.protocol.LineSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A channel's TCP end: a service in the device's LAN, or a connection the CLI accepted. */
public final class TcpStream implements ByteStream {
  /** A LAN service that does not accept within this long is unavailable. */
  static final int CONNECT_TIMEOUT_MS = 10_000;

  /** Reads wake up this often so a closed channel is noticed. */
  static final int READ_TIMEOUT_MS = 200;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** Wraps a connected socket (e.g. one the CLI accepted). */
  public TcpStream(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static TcpStream connect(String host, int port) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setKeepAlive(true);
    socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
    return new TcpStream(socket);
  }

  @Override
  public int read(byte[] buffer, int max) throws IOException {
    try {
      return in.read(buffer, 0, max);
    } catch (SocketTimeoutException e) {
      return 0;
    }
  }

  @Override
  public void write(byte[] buffer, int offset, int length) throws IOException {
    out.write(buffer, offset, length);
  }

  @Override
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void line(LineSettings settings) throws IOException {
    throw new IOException("LINE settings apply to serial targets only");
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
