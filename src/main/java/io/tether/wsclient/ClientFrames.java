package io.tether.wsclient;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * Client-to-server WebSocket frames (RFC 6455 section 5.2): FIN set, never fragmented, always
 * masked. The mask is applied eight bytes at a time while copying the payload into the write
 * buffer, so masking costs no pass of its own.
 */
final class ClientFrames {
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** FIN, opcode byte; the MASK bit, 64-bit length, 4-byte key. */
  static final int MAX_HEADER = 14;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private ClientFrames() {}

  /** Bytes on the wire for a payload of {@code length}. */
  static int size(int length) {
    return length + 4 + (length < 126 ? 2 : length <= 0xFFFF ? 4 : 10);
  }

  /** Writes one masked frame into {@code out} (big-endian, with room for {@link #size}). */
  static void write(int opcode, byte[] payload, int offset, int length, int key, ByteBuffer out) {
    out.put((byte) (0x80 | opcode));
    if (length < 126) {
      out.put((byte) (0x80 | length));
    } else if (length <= 0xFFFF) {
      out.put((byte) (0x80 | 126)).putShort((short) length);
    } else {
      out.put((byte) (0x80 | 127)).putLong(length);
    }
    out.putInt(key);
    mask(payload, offset, length, key, out);
  }

  /** Copies {@code length} bytes into {@code out}, each XORed with key byte {@code i % 4}. */
  static void mask(byte[] src, int offset, int length, int key, ByteBuffer out) {
    long key8 = ((long) key << 32) | (key & 0xFFFF_FFFFL);
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      out.putLong((long) LONGS.get(src, offset + i) ^ key8);
    }
    for (; i < length; i++) {
      out.put((byte) (src[offset + i] ^ (key >>> (24 - 8 * (i & 3)))));
    }
  }

  /**
   * Masking keys from a strong source, as RFC 6455 asks (section 10.3: unpredictable to whoever
   * chose the payload), drawn in blocks so a key costs a few nanoseconds, not a SecureRandom call.
   * Not thread-safe: used by the one thread writing at a time.
   */
  static final class MaskKeys {
    private static final int BLOCK = 1024;
    private final SecureRandom random = new SecureRandom();
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK).limit(0);

    int next() {
      if (!block.hasRemaining()) {
        random.nextBytes(block.array());
        block.clear();
      }
      return block.getInt();
    }
  }
}
