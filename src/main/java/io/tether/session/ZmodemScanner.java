package io.tether.session;

import java.nio.charset.StandardCharsets;

/**
 * Recognises, byte by byte, the few ZMODEM frames of one direction the portal needs to mark a
 * transfer: ZFIN, the ZFILE header with its data subpacket (name, size), and an abort (a run of
 * CAN). It never answers and never changes a byte; all else is skipped.
 */
final class ZmodemScanner {
  /** What a byte completed. */
  enum Seen {
    NOTHING,
    FILE,
    FIN,
    ABORT
  }

  static final byte ZDLE = 0x18;

  /** CANs in a row that mean abort: ZMODEM's own rule (a receiver aborts on five). */
  static final int ABORT_CANS = 5;

  /**
   * Largest ZFILE data subpacket read (name, NUL, size and the rest): ZMODEM's own maximum
   * subpacket is 1024 bytes; past it the file's name stays unknown.
   */
  static final int MAX_FILE_INFO = 1024;

  private static final int ZFILE = 4;
  private static final int ZFIN = 8;

  private enum State {
    GROUND,
    STAR1,
    STAR2,
    HEX_B,
    HEX_TYPE_HIGH,
    HEX_TYPE_LOW,
    BIN_FORMAT,
    BIN_TYPE,
    SKIP,
    FIN_REST,
    FILE_INFO
  }

  private State state = State.GROUND;
  private boolean escaped;
  private boolean wasEscaped;
  private int cans;
  private int hexHigh;
  private int skip;
  private final byte[] info = new byte[MAX_FILE_INFO];
  private int infoLength;
  private String fileName;
  private long fileSize;

  /** The name of the last ZFILE seen (control characters replaced). */
  String fileName() {
    return fileName;
  }

  /** Its size in bytes, or -1 when the sender did not say. */
  long fileSize() {
    return fileSize;
  }

  void reset() {
    state = State.GROUND;
    escaped = false;
    cans = 0;
  }

  Seen feed(byte b) {
    if (b == ZDLE) {
      if (++cans >= ABORT_CANS) {
        reset();
        return Seen.ABORT;
      }
    } else {
      cans = 0;
    }
    return switch (state) {
      case GROUND -> to(b == '*' ? State.STAR1 : State.GROUND);
      case STAR1 -> to(b == '*' ? State.STAR2 : b == ZDLE ? State.BIN_FORMAT : State.GROUND);
      case STAR2 -> to(b == '*' ? State.STAR2 : b == ZDLE ? State.HEX_B : State.GROUND);
      case HEX_B -> to(b == 'B' ? State.HEX_TYPE_HIGH : State.GROUND);
      case HEX_TYPE_HIGH -> {
        hexHigh = Character.digit(b, 16);
        yield to(hexHigh < 0 ? State.GROUND : State.HEX_TYPE_LOW);
      }
      case HEX_TYPE_LOW -> {
        int low = Character.digit(b, 16);
        yield low < 0 ? to(State.GROUND) : header(hexHigh * 16 + low, 12);
      }
      case BIN_FORMAT -> {
        skip = b == 'A' ? 6 : b == 'C' ? 8 : -1; // position and CRC-16 or CRC-32
        yield to(skip < 0 ? State.GROUND : State.BIN_TYPE);
      }
      case BIN_TYPE -> unescaped(b) ? header(unescape(b), skip) : Seen.NOTHING;
      case SKIP -> {
        if (unescaped(b) && --skip == 0) {
          infoLength = 0;
          state = State.FILE_INFO;
        }
        yield Seen.NOTHING;
      }
      case FIN_REST -> {
        if (--skip > 0) {
          yield Seen.NOTHING;
        }
        state = State.GROUND;
        yield Seen.FIN; // at the header's end: its line end is not terminal text
      }
      case FILE_INFO -> fileInfo(b);
    };
  }

  private Seen header(int type, int rest) {
    if (type == ZFILE) {
      skip = rest;
      state = State.SKIP;
      return Seen.NOTHING;
    }
    if (type == ZFIN) {
      skip = rest + 2; // a hex header: 12 hex digits, CR and LF
      state = State.FIN_REST;
      return Seen.NOTHING;
    }
    state = State.GROUND;
    return Seen.NOTHING;
  }

  private Seen fileInfo(byte b) {
    if (!unescaped(b)) {
      return Seen.NOTHING;
    }
    if (wasEscaped && b >= 'h' && b <= 'k') { // ZCRE, ZCRG, ZCRQ, ZCRW: the subpacket ends
      state = State.GROUND;
      parseInfo();
      return Seen.FILE;
    }
    if (infoLength == info.length) {
      state = State.GROUND; // not a subpacket a sender makes: leave it
      return Seen.NOTHING;
    }
    int c = unescape(b);
    if (infoLength > 0 || (c != '\r' && c != '\n' && c != 0x8a && c != 0x11)) {
      info[infoLength++] = (byte) c; // (a hex header's line end and XON come first)
    }
    return Seen.NOTHING;
  }

  /** Name NUL "size mtime mode …": only the name and the decimal size are read. */
  private void parseInfo() {
    int nul = 0;
    while (nul < infoLength && info[nul] != 0) {
      nul++;
    }
    StringBuilder name = new StringBuilder(new String(info, 0, nul, StandardCharsets.UTF_8));
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        name.setCharAt(i, '?');
      }
    }
    fileName = name.toString();
    long size = -1;
    for (int i = nul + 1; i < infoLength && info[i] >= '0' && info[i] <= '9'; i++) {
      size = Math.max(size, 0) * 10 + (info[i] - '0');
      if (size > Long.MAX_VALUE / 20) {
        break;
      }
    }
    fileSize = size;
  }

  /** False for a ZDLE (the next byte is escaped); true when {@code b} completes a byte. */
  private boolean unescaped(byte b) {
    wasEscaped = escaped;
    if (escaped) {
      escaped = false;
      return true;
    }
    if (b == ZDLE) {
      escaped = true;
      return false;
    }
    return true;
  }

  /** The byte a completed byte stands for (ZDLE x: x ^ 0x40, ZRUB0/ZRUB1: DEL and 0xff). */
  private int unescape(byte b) {
    int c = b & 0xff;
    if (!wasEscaped) {
      return c;
    }
    return c == 'l' ? 0x7f : c == 'm' ? 0xff : c ^ 0x40;
  }

  private Seen to(State next) {
    state = next;
    return Seen.NOTHING;
  }
}
