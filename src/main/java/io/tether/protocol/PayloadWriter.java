package io.tether.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes payload fields big-endian; strings are u16 length + UTF-8. */
final class PayloadWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

  PayloadWriter u8(int v) {
    out.write(v);
    return this;
  }

  PayloadWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  PayloadWriter u32(long v) {
    out.write((int) (v >>> 24));
    out.write((int) (v >>> 16));
    out.write((int) (v >>> 8));
    out.write((int) v);
    return this;
  }

  PayloadWriter u64(long v) {
    u32(v >>> 32);
    return u32(v & 0xFFFFFFFFL);
  }

  PayloadWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  PayloadWriter str(String s, int maxBytes) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException(
          "string of " + bytes.length + " bytes exceeds " + maxBytes);
    }
    u16(bytes.length);
    out.write(bytes, 0, bytes.length);
    return this;
  }

  byte[] toBytes() {
    byte[] bytes = out.toByteArray();
    if (bytes.length > ProtocolLimits.MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "payload exceeds " + ProtocolLimits.MAX_PAYLOAD + " bytes");
    }
    return bytes;
  }
}
