package io.tether.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Rules for text a peer supplies (versions, ids, descriptions, reasons): which characters are
 * control characters, and how text is made safe to show, store and log as one line.
 */
public final class PeerText {
  private PeerText() {}

  /** What a control character is replaced with where text is kept rather than refused. */
  public static final char REPLACEMENT = '\uFFFD';

  /**
   * C0 (NUL, CR, LF, ESC ...), DEL, C1 (NEL, CSI ...) and the Unicode line and paragraph
   * separators: each can end a log line, forge one, drive a terminal, or (NUL) be refused by
   * PostgreSQL text columns.
   */
  public static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
  }

  /** The index of the first control character, or -1. */
  public static int firstControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isControl(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Each control character replaced by {@link #REPLACEMENT}. */
  public static String replaceControls(String s) {
    if (firstControl(s) < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(isControl(c) ? REPLACEMENT : c);
    }
    return b.toString();
  }

  /**
   * The longest prefix whose UTF-8 encoding fits {@code maxBytes}: cut between characters, never
   * inside one (a surrogate pair stays whole or goes whole).
   */
  public static String cutUtf8(String s, int maxBytes) {
    if (s.length() * 3 <= maxBytes || s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return s;
    }
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (Character.isSurrogate(s.charAt(i)) && Character.charCount(cp) == 1) {
        n = 1; // a lone surrogate is encoded as '?'
      }
      if (bytes + n > maxBytes) {
        break;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }

  /**
   * A WebSocket close reason: control characters replaced, cut to the 123 bytes RFC 6455 allows.
   */
  public static String closeReason(String s) {
    return s == null ? "" : cutUtf8(replaceControls(s), ProtocolLimits.MAX_CLOSE_REASON_BYTES);
  }

  /**
   * Refuses a HELLO string with a control character, naming the field: such text would be stored,
   * shown and logged as the device's identity.
   */
  static void requireNoControl(String s, String what, String field) throws ProtocolException {
    int at = firstControl(s);
    if (at >= 0) {
      throw new ProtocolException(
          what
              + ": "
              + field
              + " contains control character "
              + String.format("U+%04X", (int) s.charAt(at))
              + " at "
              + at);
    }
  }
}
