package io.tether.audit;

import io.tether.protocol.PeerText;

/**
 * Audit and log fields kept to one line. Many of them carry text a device or a client chose (a
 * close reason, a name, an address): an LF or CR would forge a line in the log or in an export, and
 * PostgreSQL refuses a NUL in a text column, which used to cost the whole entry.
 */
public final class OneLine {
  private OneLine() {}

  /** CR, LF and NUL escaped as {@code \r}, {@code \n} and {@code \0}; null stays null. */
  public static String of(String s) {
    if (s == null || (s.indexOf('\r') < 0 && s.indexOf('\n') < 0 && s.indexOf('\0') < 0)) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n");
        case '\0' -> b.append("\\0");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Every control character ({@link PeerText#isControl}) escaped as {@code \}{@code uXXXX}, and a
   * lone surrogate replaced: the last try of an entry the database refused.
   */
  static String strict(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (PeerText.isControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1));
        if (paired) {
          b.append(c).append(s.charAt(++i));
        } else {
          b.append(PeerText.REPLACEMENT);
        }
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
