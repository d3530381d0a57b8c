package io.tether.recording;

import java.io.IOException;
import java.io.Writer;

/** JSON string literals written by hand, valid for every code point. */
final class JsonStrings {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonStrings() {}

  /**
   * Writes {@code s} as a quoted JSON string. Controls, DEL, U+2028 and U+2029 (line breaks to a
   * JavaScript reader) are escaped; a lone surrogate becomes U+FFFD so the output stays UTF-8.
   */
  static void write(Writer out, CharSequence s) throws IOException {
    out.write('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.write("\\\"");
        case '\\' -> out.write("\\\\");
        case '\n' -> out.write("\\n");
        case '\r' -> out.write("\\r");
        case '\t' -> out.write("\\t");
        case '\b' -> out.write("\\b");
        case '\f' -> out.write("\\f");
        default -> {
          if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
            unicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < n
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.write(c);
            out.write(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            out.write('\uFFFD');
          } else {
            out.write(c);
          }
        }
      }
    }
    out.write('"');
  }

  private static void unicodeEscape(Writer out, char c) throws IOException {
    out.write("\\u");
    out.write(HEX[(c >> 12) & 0xF]);
    out.write(HEX[(c >> 8) & 0xF]);
    out.write(HEX[(c >> 4) & 0xF]);
    out.write(HEX[c & 0xF]);
  }
}
