package io.tether.net;

import java.net.InetAddress;
import java.util.Arrays;

/** An address block (192.0.2.0/24, 2001:db8::/32, or one address) and membership tests. */
public record Cidr(byte[] network, int prefixLength) {
  public static Cidr parse(String value) {
    String text = value.trim();
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    byte[] address;
    try {
      address = IpLiteral.parse(host).getAddress();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not an IP address or CIDR block (host names are not resolved)");
    }
    String prefix = slash < 0 ? null : text.substring(slash + 1);
    if (prefix != null && !prefix.matches("\\d{1,3}")) {
      throw new IllegalArgumentException("'" + value + "' has an invalid prefix length");
    }
    int bits = prefix == null ? address.length * 8 : Integer.parseInt(prefix);
    if (bits > address.length * 8) {
      throw new IllegalArgumentException("'" + value + "' has an invalid prefix length");
    }
    return new Cidr(address, bits);
  }

  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    if (!Arrays.equals(candidate, 0, full, network, 0, full)) {
      return false;
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (candidate[full] & mask) == (network[full] & mask);
  }

  /** False for anything but an IP literal: a host name is never resolved. */
  public boolean contains(String address) {
    return IpLiteral.isLiteral(address) && contains(IpLiteral.parse(address));
  }
}
