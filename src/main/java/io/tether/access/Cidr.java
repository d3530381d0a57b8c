package io.tether.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An address block (192.0.2.0/24, 2001:db8::/32, or one address) and membership tests. */
public record Cidr(byte[] network, int prefixLength) {
  public static Cidr parse(String value) {
    String text = value.trim();
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    if (!host.matches("[0-9A-Fa-f:.]+")) {
      throw new IllegalArgumentException("'" + value + "' is not an IP address or CIDR block");
    }
    try {
      byte[] address = InetAddress.getByName(host).getAddress();
      int bits = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("'" + value + "' has an invalid prefix length");
      }
      return new Cidr(address, bits);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not an IP address or CIDR block");
    }
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

  public boolean contains(String address) {
    try {
      if (!address.matches("[0-9A-Fa-f:.]+")) {
        return false;
      }
      return contains(InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
