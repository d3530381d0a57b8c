package io.tether.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads payload fields with bounds checks: truncation, overruns and trailing bytes are errors. */
final class PayloadReader {
  private final byte[] b;
  private final String what;
  private int pos;

  PayloadReader(byte[] payload, String what) {
    this.b = payload;
    this.what = what;
  }

  private void need(int n) throws ProtocolException {
    if (pos + n > b.length) {
      throw new ProtocolException(what + " is truncated");
    }
  }

  int u8() throws ProtocolException {
    need(1);
    return b[pos++] & 0xFF;
  }

  int u16() throws ProtocolException {
    need(2);
    int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  long u32() throws ProtocolException {
    need(4);
    long v =
        ((long) (b[pos] & 0xFF) << 24)
            | ((b[pos + 1] & 0xFF) << 16)
            | ((b[pos + 2] & 0xFF) << 8)
            | (b[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  long u64() throws ProtocolException {
    return (u32() << 32) | u32();
  }

  byte[] bytes(int n) throws ProtocolException {
    need(n);
    byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
    pos += n;
    return out;
  }

  String str(int maxBytes, String field) throws ProtocolException {
    int len = u16();
    if (len > maxBytes) {
      throw new ProtocolException(
          what + ": " + field + " of " + len + " bytes exceeds " + maxBytes);
    }
    need(len);
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(b, pos, len))
              .toString();
      pos += len;
      return s;
    } catch (CharacterCodingException e) {
      throw new ProtocolException(what + ": " + field + " is not valid UTF-8");
    }
  }

  void end() throws ProtocolException {
    if (pos != b.length) {
      throw new ProtocolException(what + " has " + (b.length - pos) + " trailing bytes");
    }
  }
}
