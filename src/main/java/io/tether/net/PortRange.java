package io.tether.net;

/** A range of TCP ports written {@code FIRST-LAST}, such as a link port pool. */
public record PortRange(int first, int last) {
  /** Parses {@code FIRST-LAST}; IllegalArgumentException with the reason when it is not one. */
  public static PortRange parse(String value) {
    String[] parts = value.trim().split("-");
    try {
      if (parts.length == 2) {
        int first = Integer.parseInt(parts[0].trim());
        int last = Integer.parseInt(parts[1].trim());
        if (first >= 1 && last <= 65535 && first <= last) {
          return new PortRange(first, last);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "'" + value + "' is not a port range FIRST-LAST within 1-65535 (e.g. 20000-20999)");
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }
}
