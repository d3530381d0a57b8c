package io.tether.recording;

import java.util.Objects;

/** UTF-8 as the browser's {@code TextDecoder('utf-8', {fatal: false, ignoreBOM: true})}. */
final class Utf8StreamDecoder implements StreamDecoder {
  // The WHATWG Encoding Standard's UTF-8 decoder, step by step: each maximal invalid subpart
  // becomes one U+FFFD, a BOM stays U+FEFF, and the state between chunks is the partial code
  // point alone. Not the JDK's decoder: it turns an encoded surrogate (ED A0 80) into one U+FFFD
  // where the browser shows three.

  private static final char REPLACEMENT = '\uFFFD';

  private int codePoint;
  private int bytesNeeded;
  private int bytesSeen;
  private int lower = 0x80;
  private int upper = 0xBF;

  @Override
  public String decode(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    StringBuilder out = new StringBuilder(len);
    for (int i = off; i < off + len; i++) {
      int x = b[i] & 0xFF;
      if (bytesNeeded == 0) {
        start(x, out);
      } else if (x < lower || x > upper) {
        // the sequence so far is a maximal subpart: one U+FFFD, then x starts afresh
        reset();
        out.append(REPLACEMENT);
        start(x, out);
      } else {
        lower = 0x80;
        upper = 0xBF;
        codePoint = (codePoint << 6) | (x & 0x3F);
        if (++bytesSeen == bytesNeeded) {
          out.appendCodePoint(codePoint);
          reset();
        }
      }
    }
    return out.toString();
  }

  @Override
  public String flush() {
    if (bytesNeeded == 0) {
      return "";
    }
    reset();
    return String.valueOf(REPLACEMENT);
  }

  @Override
  public String encoding() {
    return "utf-8";
  }

  private void start(int x, StringBuilder out) {
    if (x < 0x80) {
      out.append((char) x);
    } else if (x >= 0xC2 && x <= 0xDF) {
      bytesNeeded = 1;
      codePoint = x & 0x1F;
    } else if (x >= 0xE0 && x <= 0xEF) {
      lower = x == 0xE0 ? 0xA0 : 0x80; // no overlong three-byte forms
      upper = x == 0xED ? 0x9F : 0xBF; // no surrogates
      bytesNeeded = 2;
      codePoint = x & 0x0F;
    } else if (x >= 0xF0 && x <= 0xF4) {
      lower = x == 0xF0 ? 0x90 : 0x80; // no overlong four-byte forms
      upper = x == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
      bytesNeeded = 3;
      codePoint = x & 0x07;
    } else {
      out.append(REPLACEMENT); // a continuation byte, C0, C1 or F5-FF cannot start a character
    }
  }

  private void reset() {
    codePoint = 0;
    bytesNeeded = 0;
    bytesSeen = 0;
    lower = 0x80;
    upper = 0xBF;
  }
}
