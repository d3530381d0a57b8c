package io.tether.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The PROXY protocol version 2 header a balancer (HAProxy's {@code send-proxy-v2}) writes first on
 * a TCP connection it passes on, naming the client it accepted. Pure parsing, no I/O: {@link
 * #parse} is called with every byte received so far and says "complete", "need more" or why the
 * bytes are not a header we accept. Only the binary version 2 with the PROXY or LOCAL command and
 * TCP over IPv4 or IPv6 is accepted; the text version 1 is refused. TLVs after the addresses are
 * skipped.
 *
 * <p>Layout (haproxy.org/download/2.6/doc/proxy-protocol.txt, section 2.2): 12 signature bytes; one
 * byte version (high nibble, 2) and command (low nibble: 0 LOCAL, 1 PROXY); one byte address family
 * (high nibble: 1 IPv4, 2 IPv6) and transport (low nibble: 1 stream); two bytes (big endian) length
 * of what follows; then source address, destination address, source port, destination port, and
 * TLVs up to that length.
 */
public final class ProxyHeader {
  /** The version 2 signature: a byte sequence no text protocol starts with. */
  static final byte[] SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  /** Signature, version and command, family and transport, length. */
  public static final int FIXED_BYTES = 16;

  /**
   * The longest header accepted, TLVs included. IPv6 addresses take 36 bytes after the fixed 16;
   * the TLVs HAProxy adds when configured to (unique id up to 128 bytes, authority, ALPN, SSL
   * details, CRC) fit well within 1 KiB. A longer header is not our balancer's, and is refused
   * before its bytes are buffered.
   */
  public static final int MAX_BYTES = 1024;

  /** Address block sizes: two addresses and two ports. */
  static final int IPV4_BLOCK = 4 + 4 + 2 + 2;

  static final int IPV6_BLOCK = 16 + 16 + 2 + 2;

  private static final byte[] VERSION_1 =
      "PROXY ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** What the balancer says about the connection. */
  public enum Command {
    /** The balancer's own connection (a health check): no client, the addresses are ignored. */
    LOCAL,
    /** A client's connection, passed on: the source is the client. */
    PROXY
  }

  /**
   * A complete header. {@code source} is the client (empty for LOCAL); {@code length} is how many
   * bytes the header took, so what follows it is the client's data.
   */
  public record Parsed(Command command, Optional<Endpoint> source, int length) {}

  /** An address and port named in the header. */
  public record Endpoint(InetAddress address, int port) {
    /**
     * The address as the portal writes client addresses ({@code 10.1.2.3}, {@code 2001:db8::7}).
     */
    public String hostAddress() {
      return address.getHostAddress();
    }
  }

  /** The bytes are not a header we accept; the message says why in a few words. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  private ProxyHeader() {}

  /**
   * Parses the first {@code length} bytes of {@code data}, everything received so far. Returns the
   * header once complete, empty while a valid header may still be under way; throws {@link Invalid}
   * as soon as the bytes cannot be one (a wrong signature byte already fails, so a client that
   * speaks without a header is refused at its first bytes; only the start of a version 1 header
   * waits for its 6 bytes, to be named as such).
   */
  public static Optional<Parsed> parse(byte[] data, int length) throws Invalid {
    int signature = Math.min(length, SIGNATURE.length);
    if (!Arrays.equals(data, 0, signature, SIGNATURE, 0, signature)) {
      if (startsVersion1(data, length)) {
        if (length < VERSION_1.length) {
          return Optional.empty(); // "PRO" may be version 1, to be named as such
        }
        throw new Invalid("PROXY protocol version 1 (text), only version 2 is accepted");
      }
      throw new Invalid(
          "no PROXY protocol v2 header (the connection does not start with its signature)");
    }
    if (length < FIXED_BYTES) {
      return Optional.empty();
    }
    int version = (data[12] & 0xF0) >> 4;
    if (version != 2) {
      throw new Invalid("PROXY protocol version " + version + ", only version 2 is accepted");
    }
    int total = FIXED_BYTES + ((data[14] & 0xFF) << 8 | (data[15] & 0xFF));
    if (total > MAX_BYTES) {
      throw new Invalid(
          "PROXY header of " + total + " bytes, longer than the " + MAX_BYTES + " accepted");
    }
    Command command = command(data[12] & 0x0F);
    if (length < total) {
      return Optional.empty();
    }
    if (command == Command.LOCAL) {
      return Optional.of(new Parsed(command, Optional.empty(), total));
    }
    return Optional.of(new Parsed(command, Optional.of(source(data, total)), total));
  }

  private static Command command(int code) throws Invalid {
    return switch (code) {
      case 0 -> Command.LOCAL;
      case 1 -> Command.PROXY;
      default -> throw new Invalid("PROXY header with unknown command " + code);
    };
  }

  /** The client of a PROXY command: TCP over IPv4 or IPv6, with its address block present. */
  private static Endpoint source(byte[] data, int total) throws Invalid {
    int family = (data[13] & 0xF0) >> 4;
    int transport = data[13] & 0x0F;
    if (transport != 1) {
      throw new Invalid("PROXY header for transport " + transport + ", only TCP is accepted");
    }
    int addressBytes =
        switch (family) {
          case 1 -> 4;
          case 2 -> 16;
          default ->
              throw new Invalid(
                  "PROXY header for address family "
                      + family
                      + ", only IPv4 and IPv6 are accepted");
        };
    int block = family == 1 ? IPV4_BLOCK : IPV6_BLOCK;
    if (total - FIXED_BYTES < block) {
      throw new Invalid(
          "PROXY header too short for its addresses ("
              + (total - FIXED_BYTES)
              + " bytes, "
              + block
              + " needed)");
    }
    byte[] address = Arrays.copyOfRange(data, FIXED_BYTES, FIXED_BYTES + addressBytes);
    int portAt = FIXED_BYTES + 2 * addressBytes;
    int port = (data[portAt] & 0xFF) << 8 | (data[portAt + 1] & 0xFF);
    try {
      return new Endpoint(InetAddress.getByAddress(address), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  private static boolean startsVersion1(byte[] data, int length) {
    int text = Math.min(length, VERSION_1.length);
    return text > 0 && Arrays.equals(data, 0, text, VERSION_1, 0, text);
  }
}
