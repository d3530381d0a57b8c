package io.tether.recording;

import java.util.Locale;

/** Turns one stream of a device's bytes into text by exactly the browser decoder's rules. */
public interface StreamDecoder {
  // The twin of frontend/src/terminal/decoder.ts; decoder-golden.json pins both to the same
  // answers. One decoder per stream, fed every chunk in order, so a character split across two
  // chunks comes out whole.

  /** Decodes the next chunk; bytes of an unfinished character wait for the next call. */
  String decode(byte[] b, int off, int len);

  /** Ends the stream: an unfinished character becomes U+FFFD. */
  String flush();

  /** The canonical name: {@code utf-8}, {@code latin-1} or {@code cp437}. */
  String encoding();

  /**
   * A new decoder for an encoding, accepting the spellings the browser accepts (UTF8, ISO-8859-1,
   * IBM437, ...).
   *
   * @throws IllegalArgumentException for an encoding the browser would not know either
   */
  static StreamDecoder of(String encoding) {
    String key =
        encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_]", "-");
    return switch (key) {
      case "utf-8", "utf8" -> new Utf8StreamDecoder();
      case "latin-1", "latin1", "iso-8859-1", "iso8859-1" -> TableStreamDecoder.latin1();
      case "cp437", "ibm437", "ibm-437", "cp-437", "437" -> TableStreamDecoder.cp437();
      default ->
          throw new IllegalArgumentException(
              "unknown encoding '" + encoding + "': use utf-8, latin-1 or cp437");
    };
  }
}
