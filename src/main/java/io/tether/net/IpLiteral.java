package io.tether.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever asking the DNS resolver: {@code cafe.de} or {@code
 * dead.beef} look like hex but are host names, and settings and user input take addresses only.
 */
public final class IpLiteral {
  /** Dotted decimal, four parts, each 0-255 without leading zeros (no octal or short forms). */
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  /** Hex groups and colons (an IPv4 tail allowed); the colon is what makes it IPv6. */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

  private IpLiteral() {}

  /** The address's bytes (4 or 16); throws IllegalArgumentException naming the value otherwise. */
  public static InetAddress parse(String text) {
    String value = text == null ? "" : text.trim();
    try {
      if (IPV4.matcher(value).matches()) {
        String[] parts = value.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return InetAddress.getByAddress(bytes);
      }
      if (IPV6.matcher(value).matches()) {
        // a string with a colon is only ever parsed as an IPv6 literal, never looked up
        return InetAddress.getByName(value);
      }
    } catch (UnknownHostException e) {
      // not a valid literal: answered below
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not an IP address (host names are not resolved: give the address)");
  }

  /** True when {@code text} is an IPv4 or IPv6 literal. */
  public static boolean isLiteral(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
