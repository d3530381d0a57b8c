package io.tether.recording;

import io.tether.recording.RecordingFormat.Event;
import io.tether.recording.RecordingFormat.Kind;
import java.util.Arrays;
import java.util.Objects;

/** Reads the events of one chunk, rejecting anything the writer could not have produced. */
final class ChunkReader {
  private final byte[] chunk;
  private int pos;

  ChunkReader(byte[] chunk) {
    this.chunk = Objects.requireNonNull(chunk, "chunk");
  }

  boolean hasMore() {
    return pos < chunk.length;
  }

  Event event() {
    int start = pos;
    int code = chunk[pos++] & 0xFF;
    Kind kind = Kind.fromCode(code);
    if (kind == null) {
      throw malformed(start, "unknown event kind 0x%02x", code);
    }
    long atMicros = varint(start, "time");
    if (kind == Kind.GAP) {
      return Event.gap(atMicros, varint(start, "gap size"));
    }
    long length = varint(start, "data length");
    if (length > RecordingFormat.MAX_EVENT_DATA) {
      throw malformed(
          start, "data length %d exceeds the maximum %d", length, RecordingFormat.MAX_EVENT_DATA);
    }
    if (length > chunk.length - pos) {
      throw malformed(start, "truncated: %d data bytes announced, %d left", length, remaining());
    }
    byte[] data = Arrays.copyOfRange(chunk, pos, pos + (int) length);
    pos += (int) length;
    if (kind == Kind.RESIZE && !RecordingFormat.isSizeText(data)) {
      throw malformed(start, "a resize's data is COLSxROWS");
    }
    return new Event(kind, atMicros, data, 0);
  }

  private long varint(int eventStart, String what) {
    long value = 0;
    for (int i = 0; i < Varint.MAX_BYTES; i++) {
      if (!hasMore()) {
        throw malformed(eventStart, "truncated in the %s", what);
      }
      int b = chunk[pos++] & 0xFF;
      if (i == Varint.MAX_BYTES - 1 && (b & 0x7F) != 0) {
        // bits 63 and up: no time or size of ours is that large
        throw malformed(eventStart, "%s exceeds 63 bits", what);
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw malformed(eventStart, "%s varint longer than %d bytes", what, Varint.MAX_BYTES);
  }

  private int remaining() {
    return chunk.length - pos;
  }

  private static IllegalArgumentException malformed(int offset, String format, Object... args) {
    return new IllegalArgumentException(
        "malformed recording chunk: event at offset " + offset + ": " + format.formatted(args));
  }
}
