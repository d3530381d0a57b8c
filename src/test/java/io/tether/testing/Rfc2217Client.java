package io.tether.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal RFC 2217 client, written from the RFC independently of the CLI's code: it negotiates
 * COM-PORT-OPTION like pyserial's client, sends COM port commands and waits for their replies, and
 * escapes and unescapes 0xFF in data.
 */
public final class Rfc2217Client implements AutoCloseable {
  public static final int SET_BAUDRATE = 1;
  public static final int SET_DATASIZE = 2;
  public static final int SET_PARITY = 3;
  public static final int SET_STOPSIZE = 4;
  public static final int SET_CONTROL = 5;
  public static final int PURGE_DATA = 12;

  private static final int IAC = 255;
  private static final int SB = 250;
  private static final int SE = 240;
  private static final int WILL = 251;
  private static final int DONT = 254;
  private static final int DO = 253;
  private static final int COM_PORT = 44;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();
  private final List<String> options = new ArrayList<>();
  private final ArrayDeque<byte[]> subnegotiations = new ArrayDeque<>();

  private Rfc2217Client(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Negotiates COM-PORT-OPTION on a connected socket (its read timeout bounds every wait). Throws
   * EOFException when the connection ends first, e.g. because the channel was refused.
   */
  public static Rfc2217Client negotiate(Socket socket) throws IOException {
    Rfc2217Client c = new Rfc2217Client(socket);
    c.out.write(new byte[] {(byte) IAC, (byte) WILL, COM_PORT, (byte) IAC, (byte) DO, COM_PORT});
    c.out.flush();
    while (!c.options.contains("DO 44") || !c.options.contains("WILL 44")) {
      c.readUnit();
    }
    return c;
  }

  /** Sends COM-PORT-OPTION {@code command value} and returns the value of the server's reply. */
  public byte[] command(int command, byte... value) throws IOException {
    ByteArrayOutputStream sb = new ByteArrayOutputStream();
    sb.writeBytes(new byte[] {(byte) IAC, (byte) SB, COM_PORT, (byte) command});
    sb.writeBytes(escape(value));
    sb.writeBytes(new byte[] {(byte) IAC, (byte) SE});
    out.write(sb.toByteArray());
    out.flush();
    while (true) {
      for (byte[] s : subnegotiations) {
        if (s.length >= 2 && s[0] == COM_PORT && (s[1] & 0xff) == command + 100) {
          subnegotiations.remove(s);
          return Arrays.copyOfRange(s, 2, s.length);
        }
      }
      readUnit();
    }
  }

  public static byte[] u32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /** Writes data bytes, 0xFF doubled. */
  public void write(byte[] bytes) throws IOException {
    out.write(escape(bytes));
    out.flush();
  }

  /** Reads exactly {@code n} data bytes (Telnet commands in between are taken apart). */
  public byte[] readData(int n) throws IOException {
    while (data.size() < n) {
      readUnit();
    }
    byte[] all = data.toByteArray();
    data.reset();
    data.write(all, n, all.length - n);
    return Arrays.copyOf(all, n);
  }

  private static byte[] escape(byte[] bytes) {
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    for (byte b : bytes) {
      e.write(b);
      if ((b & 0xff) == IAC) {
        e.write(IAC);
      }
    }
    return e.toByteArray();
  }

  /** Reads one data byte or one whole command. */
  private void readUnit() throws IOException {
    int b = next();
    if (b != IAC) {
      data.write(b);
      return;
    }
    int c = next();
    if (c == IAC) {
      data.write(IAC);
    } else if (c >= WILL && c <= DONT) {
      options.add(new String[] {"WILL", "WONT", "DO", "DONT"}[c - WILL] + " " + next());
    } else if (c == SB) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        int x = next();
        if (x == IAC) {
          int y = next();
          if (y == SE) {
            break;
          }
          body.write(y); // IAC IAC
        } else {
          body.write(x);
        }
      }
      subnegotiations.add(body.toByteArray());
    }
  }

  private int next() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the server closed the connection");
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
