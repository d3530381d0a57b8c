package io.tether.recording;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The byte format of one recording chunk (one database row of up to about 64 KiB of events).
 *
 * <p>Each event is a kind byte ({@link Kind#code()}), the time in microseconds since the session
 * started as an unsigned LEB128 varint, then for OUTPUT and INPUT the data length (varint) and the
 * bytes, for GAP the number of bytes not recorded (varint). NOTE and TRANSFER are laid out as
 * OUTPUT: a NOTE's data is UTF-8 text the portal adds ("ZMODEM: file.bin, 2.0 MiB, device → user"),
 * a TRANSFER's the device's output while a file transfer ran, which only the raw export shows.
 * RESIZE too: its data is the controller's terminal size in ASCII, {@code COLSxROWS} (as
 * asciicast's "r" events say it), recorded when the controller's size changes or another controls.
 * Times are absolute, not deltas, so every chunk decodes alone: a lost or deleted row never garbles
 * the rows after it.
 */
public final class RecordingFormat {
  /**
   * Largest data of one event: a whole tunnel DATA payload fits, and a corrupt length cannot make
   * decode allocate more than this per event. The writer splits longer data into several events.
   */
  public static final int MAX_EVENT_DATA = 64 * 1024;

  private RecordingFormat() {}

  /** What an event holds, with its fixed wire code. */
  public enum Kind {
    OUTPUT(1),
    INPUT(2),
    GAP(3),
    NOTE(4),
    TRANSFER(5),
    RESIZE(6);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static Kind fromCode(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      return null;
    }
  }

  /**
   * One event: device output, user input, or a gap of {@code gapBytes} bytes that were not
   * recorded. {@code atMicros} counts from the session start. The data array is not copied.
   */
  public record Event(Kind kind, long atMicros, byte[] data, long gapBytes) {
    private static final byte[] NONE = new byte[0];

    public Event {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(data, "data");
      if (atMicros < 0 || gapBytes < 0) {
        throw new IllegalArgumentException("negative time or gap size");
      }
      if (kind == Kind.GAP ? data.length != 0 : gapBytes != 0) {
        throw new IllegalArgumentException(
            "a GAP has a size and no data, other events the reverse");
      }
    }

    public static Event output(long atMicros, byte[] data) {
      return new Event(Kind.OUTPUT, atMicros, data, 0);
    }

    public static Event input(long atMicros, byte[] data) {
      return new Event(Kind.INPUT, atMicros, data, 0);
    }

    /** A note of the portal's, such as a file transfer's; its text is UTF-8. */
    public static Event note(long atMicros, String text) {
      return new Event(Kind.NOTE, atMicros, text.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** Device output of a file transfer: kept for the raw export, never shown as text. */
    public static Event transfer(long atMicros, byte[] data) {
      return new Event(Kind.TRANSFER, atMicros, data, 0);
    }

    /** The controller's terminal is now {@code cols} by {@code rows}. */
    public static Event resize(long atMicros, int cols, int rows) {
      return new Event(Kind.RESIZE, atMicros, sizeText(cols, rows), 0);
    }

    /** A NOTE's text, or a RESIZE's {@code COLSxROWS}. */
    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * What a gap says to a reader: {@code N bytes not recorded}, or for a gap of no known loss (the
     * session moved to another node; the agent kept the serial port open) that it moved.
     */
    public static String gapNote(long lostBytes) {
      return lostBytes == 0
          ? "the session moved to another node"
          : lostBytes + " bytes not recorded";
    }

    public static Event gap(long atMicros, long lostBytes) {
      return new Event(Kind.GAP, atMicros, NONE, lostBytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Event e
          && kind == e.kind
          && atMicros == e.atMicros
          && gapBytes == e.gapBytes
          && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
      return Objects.hash(kind, atMicros, gapBytes, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
      return kind + "@" + atMicros + (kind == Kind.GAP ? " lost " + gapBytes : " " + data.length);
    }
  }

  /**
   * Encodes events into one chunk. Consecutive OUTPUT events in the same millisecond are merged,
   * stamped with the first one's time: a busy device delivers many small reads, each event costs a
   * header of 3 to 15 bytes, and no player shows time finer than a millisecond.
   */
  public static final class ChunkWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long pendingMicros = -1;
    private long firstMicros = -1;

    public void output(long atMicros, byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return; // nothing happened: an empty read is not an event
      }
      checkTime(atMicros);
      while (len > 0) {
        if (pendingMicros < 0
            || pendingMicros / 1000 != atMicros / 1000
            || pending.size() == MAX_EVENT_DATA) {
          commitPending();
          pendingMicros = atMicros;
        }
        int n = Math.min(len, MAX_EVENT_DATA - pending.size());
        pending.write(b, off, n);
        off += n;
        len -= n;
      }
    }

    public void input(long atMicros, byte[] b, int off, int len) {
      unmerged(Kind.INPUT, atMicros, b, off, len);
    }

    /** Device output of a file transfer ({@link Kind#TRANSFER}). */
    public void transfer(long atMicros, byte[] b, int off, int len) {
      unmerged(Kind.TRANSFER, atMicros, b, off, len);
    }

    /** The controller's terminal size ({@link Kind#RESIZE}). */
    public void resize(long atMicros, int cols, int rows) {
      byte[] b = sizeText(cols, rows);
      unmerged(Kind.RESIZE, atMicros, b, 0, b.length);
    }

    /** A note of the portal's ({@link Kind#NOTE}). */
    public void note(long atMicros, String text) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      unmerged(Kind.NOTE, atMicros, b, 0, Math.min(b.length, MAX_EVENT_DATA));
    }

    private void unmerged(Kind kind, long atMicros, byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return; // nothing happened: an empty read is not an event
      }
      checkTime(atMicros);
      commitPending();
      for (int end = off + len; off < end; ) {
        int n = Math.min(end - off, MAX_EVENT_DATA);
        out.write(kind.code);
        Varint.write(out, atMicros);
        Varint.write(out, n);
        out.write(b, off, n);
        off += n;
      }
    }

    public void gap(long atMicros, long lostBytes) {
      checkTime(atMicros);
      if (lostBytes < 0) {
        throw new IllegalArgumentException("negative gap size " + lostBytes);
      }
      commitPending();
      out.write(Kind.GAP.code);
      Varint.write(out, atMicros);
      Varint.write(out, lostBytes);
    }

    /** Encoded bytes so far, including a pending merged OUTPUT event. */
    public int size() {
      int size = out.size();
      if (pendingMicros >= 0) {
        size += 1 + Varint.size(pendingMicros) + Varint.size(pending.size()) + pending.size();
      }
      return size;
    }

    public boolean isEmpty() {
      return size() == 0;
    }

    /** The time of the first event in the chunk, or -1 when the chunk is empty. */
    public long firstMicros() {
      return firstMicros;
    }

    /** Returns the encoded chunk and starts a new, empty one. */
    public byte[] seal() {
      commitPending();
      byte[] chunk = out.toByteArray();
      out.reset();
      firstMicros = -1;
      return chunk;
    }

    private void checkTime(long atMicros) {
      if (atMicros < 0) {
        throw new IllegalArgumentException("negative event time " + atMicros);
      }
      if (firstMicros < 0) {
        firstMicros = atMicros;
      }
    }

    private void commitPending() {
      if (pendingMicros >= 0 && pending.size() > 0) {
        out.write(Kind.OUTPUT.code);
        Varint.write(out, pendingMicros);
        Varint.write(out, pending.size());
        out.writeBytes(pending.toByteArray());
      }
      pending.reset();
      pendingMicros = -1;
    }
  }

  /** A terminal size's 1 … 65535 columns and rows (a u16 each, as TIOCSWINSZ has them). */
  public static final int MAX_TERMINAL_SIZE = 65535;

  /** A size as RESIZE data: {@code COLSxROWS}, each 1 … {@value #MAX_TERMINAL_SIZE}. */
  static byte[] sizeText(int cols, int rows) {
    if (cols < 1 || rows < 1 || cols > MAX_TERMINAL_SIZE || rows > MAX_TERMINAL_SIZE) {
      throw new IllegalArgumentException("terminal size " + cols + "x" + rows);
    }
    return (cols + "x" + rows).getBytes(StandardCharsets.US_ASCII);
  }

  /** Whether RESIZE data is a size the writer makes. */
  static boolean isSizeText(byte[] data) {
    String s = new String(data, StandardCharsets.US_ASCII);
    if (!s.matches("[1-9][0-9]{0,4}x[1-9][0-9]{0,4}")) {
      return false;
    }
    int x = s.indexOf('x');
    return Integer.parseInt(s.substring(0, x)) <= MAX_TERMINAL_SIZE
        && Integer.parseInt(s.substring(x + 1)) <= MAX_TERMINAL_SIZE;
  }

  /**
   * Decodes one chunk as stored (compressed or not, {@link ChunkStorage}); malformed input throws
   * IllegalArgumentException naming the offset.
   */
  public static List<Event> decode(byte[] chunk) {
    ChunkReader in = new ChunkReader(ChunkStorage.unpack(chunk));
    List<Event> events = new ArrayList<>();
    while (in.hasMore()) {
      events.add(in.event());
    }
    return events;
  }
}
