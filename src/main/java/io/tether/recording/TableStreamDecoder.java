package io.tether.recording;

import java.util.Objects;

/** Single-byte encodings: every byte is one character, so there is no state to carry. */
final class TableStreamDecoder implements StreamDecoder {
  /**
   * ISO-8859-1: byte = code point (not windows-1252, which turns 0x80-0x9F into curly quotes and
   * the euro sign: not what a serial device sent).
   */
  private static final char[] LATIN1 = new char[256];

  /**
   * Code page 437's upper half: box drawing and accented glyphs. 0x00-0x7F stay ASCII and control
   * characters, not the CP437 pictures, because the terminal must still see CR, LF, BS and ESC.
   */
  private static final String CP437_HIGH =
      "ÇüéâäàåçêëèïîìÄÅ"
          + "ÉæÆôöòûùÿÖÜ¢£¥₧ƒ"
          + "áíóúñÑªº¿⌐¬½¼¡«»"
          + "░▒▓│┤╡╢╖╕╣║╗╝╜╛┐"
          + "└┴┬├─┼╞╟╚╔╩╦╠═╬╧"
          + "╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀"
          + "αßΓπΣσµτΦΘΩδ∞φε∩"
          + "≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

  private static final char[] CP437 = new char[256];

  static {
    for (int i = 0; i < 256; i++) {
      LATIN1[i] = (char) i;
      CP437[i] = i < 0x80 ? (char) i : CP437_HIGH.charAt(i - 0x80);
    }
  }

  private final String encoding;
  private final char[] table;

  private TableStreamDecoder(String encoding, char[] table) {
    this.encoding = encoding;
    this.table = table;
  }

  static TableStreamDecoder latin1() {
    return new TableStreamDecoder("latin-1", LATIN1);
  }

  static TableStreamDecoder cp437() {
    return new TableStreamDecoder("cp437", CP437);
  }

  @Override
  public String decode(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    char[] out = new char[len];
    for (int i = 0; i < len; i++) {
      out[i] = table[b[off + i] & 0xFF];
    }
    return new String(out);
  }

  @Override
  public String flush() {
    return "";
  }

  @Override
  public String encoding() {
    return encoding;
  }
}
