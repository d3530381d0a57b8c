package io.tether.recording;

import java.io.ByteArrayOutputStream;

/** Unsigned LEB128: seven bits a byte, low group first, the high bit set on all but the last. */
final class Varint {
  /** A 64-bit value needs at most ceil(64 / 7) = 10 bytes; anything longer is corrupt. */
  static final int MAX_BYTES = 10;

  private Varint() {}

  static void write(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }

  /** Writes {@code value} into {@code out} at {@code pos}; returns the position after it. */
  static int write(byte[] out, int pos, long value) {
    while ((value & ~0x7FL) != 0) {
      out[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[pos++] = (byte) value;
    return pos;
  }

  static int size(long value) {
    int size = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }
}
