package io.tether.protocol;

import java.util.HexFormat;

/** Hex literals for golden frames; spaces and underscores are only for the reader. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", "").replace("_", ""));
  }

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** A whole frame: header fields then payload, all as hex. */
  static byte[] frame(int type, int channel, String payloadHex) {
    byte[] payload = bytes(payloadHex);
    return bytes(
        String.format("%02x 00 0000 %08x %08x", type, channel, payload.length) + of(payload));
  }
}
