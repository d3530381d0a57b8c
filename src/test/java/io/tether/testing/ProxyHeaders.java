package io.tether.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * PROXY protocol v2 headers written by hand, byte by byte from the specification (as HAProxy's
 * {@code send-proxy-v2} writes them), so that tests do not check the parser against itself.
 */
public final class ProxyHeaders {
  /** The 12-byte v2 signature. */
  public static final byte[] SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  /** Version 2 in the high nibble, the command in the low one. */
  public static final int PROXY = 0x21;

  public static final int LOCAL = 0x20;

  /** Address family in the high nibble, transport (1: stream) in the low one. */
  public static final int TCP4 = 0x11;

  public static final int TCP6 = 0x21;

  private ProxyHeaders() {}

  /** A PROXY command for a TCP client at {@code source} (IPv4 or IPv6) to {@code destination}. */
  public static byte[] proxy(String source, int sourcePort, String destination, int destPort) {
    byte[] src = address(source);
    byte[] dst = address(destination);
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(src);
    block.writeBytes(dst);
    block.writeBytes(port(sourcePort));
    block.writeBytes(port(destPort));
    return header(PROXY, src.length == 4 ? TCP4 : TCP6, block.toByteArray());
  }

  /** A PROXY command from {@code source} to 127.0.0.1:20000. */
  public static byte[] proxy(String source) {
    return proxy(source, 40000, "127.0.0.1", 20000);
  }

  /** A header with any version/command byte, family byte and bytes after the fixed part. */
  public static byte[] header(int versionCommand, int family, byte[] rest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SIGNATURE);
    out.write(versionCommand);
    out.write(family);
    out.writeBytes(port(rest.length));
    out.writeBytes(rest);
    return out.toByteArray();
  }

  /** {@code a} followed by {@code b}. */
  public static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static byte[] port(int value) {
    return new byte[] {(byte) (value >> 8), (byte) value};
  }

  private static byte[] address(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress(); // test literals only: never a lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
