package io.tether.session;

/** Tells, byte by byte, whether a terminal stream is at a point where a new parser can start. */
public final class VtBoundary {
  // Safe: a VT parser in the ground state (not inside an ESC, CSI, OSC, DCS, SOS, PM or APC
  // sequence) and not inside a UTF-8 character. Only boundaries are tracked, nothing is parsed,
  // so it costs one switch per byte. The states follow the DEC/xterm parser (vt100.net/emu) for
  // 7-bit sequences. 8-bit C1 controls are not tracked: the encoding is not known here, and a
  // byte 0x9B is a UTF-8 continuation byte but CSI in Latin-1. The UTF-8 tracking errs on the
  // unsafe side: it may call a point inside broken UTF-8 unsafe, never one inside a valid
  // character safe.

  private static final int GROUND = 0;
  private static final int ESCAPE = 1;
  private static final int ESCAPE_INTERMEDIATE = 2;
  private static final int CSI = 3;
  private static final int OSC = 4;

  /** DCS, SOS, PM and APC: only ST (ESC \), CAN or SUB end them. */
  private static final int STRING = 5;

  private int state = GROUND;

  /** Continuation bytes still expected for the current UTF-8 character. */
  private int utf8Pending;

  public void feed(byte b) {
    int x = b & 0xFF;
    if (x >= 0x80) {
      if (x <= 0xBF) {
        utf8Pending = utf8Pending > 0 ? utf8Pending - 1 : 0;
      } else {
        utf8Pending = x < 0xC2 ? 0 : x <= 0xDF ? 1 : x <= 0xEF ? 2 : x <= 0xF4 ? 3 : 0;
      }
      if (state == ESCAPE || state == ESCAPE_INTERMEDIATE) {
        state = GROUND; // not a sequence after all; in CSI, OSC and strings the text is ignored
      }
      return;
    }
    utf8Pending = 0;
    if (x == 0x1B) {
      state = ESCAPE; // anywhere; inside OSC and strings it starts ST, whose '\' ends in GROUND
      return;
    }
    if (x == 0x18 || x == 0x1A) {
      state = GROUND; // CAN and SUB abort any sequence
      return;
    }
    switch (state) {
      case ESCAPE -> {
        if (x >= 0x20 && x != 0x7F) {
          state =
              switch (x) {
                case '[' -> CSI;
                case ']' -> OSC;
                case 'P', 'X', '^', '_' -> STRING;
                default -> x <= 0x2F ? ESCAPE_INTERMEDIATE : GROUND;
              };
        }
      }
      case ESCAPE_INTERMEDIATE -> {
        if (x >= 0x30 && x != 0x7F) {
          state = GROUND; // the final byte, e.g. the B of ESC ( B
        }
      }
      case CSI -> {
        if (x >= 0x40 && x <= 0x7E) {
          state = GROUND;
        }
      }
      case OSC -> {
        if (x == 0x07) {
          state = GROUND; // BEL ends an OSC as well as ST does (xterm)
        }
      }
      default -> {} // GROUND stays; STRING waits for ST
    }
  }

  /** True when a parser starting from here would be in step with one that saw the whole stream. */
  public boolean atSafePoint() {
    return state == GROUND && utf8Pending == 0;
  }
}
