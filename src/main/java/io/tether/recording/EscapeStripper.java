package io.tether.recording;

/** Removes terminal escape sequences from decoded text, also when one is split across calls. */
final class EscapeStripper {
  // The states follow the DEC/xterm parser (vt100.net/emu): CSI, OSC (ended by BEL or ESC \),
  // DCS/SOS/PM/APC strings (ended by ESC \), ESC with intermediates (charset designations such as
  // ESC ( B) and two-character ESC sequences. CAN and SUB abort a sequence; C1 controls
  // (U+0080-U+009F) act as their 7-bit ESC forms, as they do in xterm.js.

  private static final char ESC = 0x1B;
  private static final char CAN = 0x18;
  private static final char SUB = 0x1A;
  private static final char BEL = 0x07;
  private static final char DEL = 0x7F;

  private enum State {
    GROUND,
    ESCAPE,
    ESCAPE_INTERMEDIATE,
    CSI,
    OSC,
    STRING
  }

  private State state = State.GROUND;

  /**
   * Appends the text outside escape sequences to {@code out}: printable characters and the controls
   * BS, HT, LF, CR and DEL, which the caller interprets. Other controls are dropped.
   */
  void feed(CharSequence text, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ESC) {
        state = State.ESCAPE; // also the start of ST (ESC \) inside a string
      } else if (c == CAN || c == SUB) {
        state = State.GROUND;
      } else if (c >= 0x80 && c <= 0x9F) {
        state = afterC1(c);
      } else {
        switch (state) {
          case GROUND -> printOrExecute(c, out);
          case ESCAPE -> escape(c, out);
          case ESCAPE_INTERMEDIATE -> {
            if (c < 0x20) {
              execute(c, out);
            } else if (c >= 0x30 && c != DEL) {
              state = State.GROUND; // the final character, e.g. the B of ESC ( B
            }
          }
          case CSI -> {
            if (c < 0x20) {
              execute(c, out);
            } else if (c >= 0x40 && c <= 0x7E) {
              state = State.GROUND;
            }
          }
          case OSC -> state = c == BEL ? State.GROUND : State.OSC;
          case STRING -> {} // only ST, CAN or SUB end it
        }
      }
    }
  }

  /** Back to the ground state: after a gap the bytes that would have ended a sequence are lost. */
  void reset() {
    state = State.GROUND;
  }

  private void escape(char c, StringBuilder out) {
    if (c < 0x20) {
      execute(c, out);
      return;
    }
    state =
        switch (c) {
          case '[' -> State.CSI;
          case ']' -> State.OSC;
          case 'P', 'X', '^', '_' -> State.STRING;
          case DEL -> State.ESCAPE;
          default -> c <= 0x2F ? State.ESCAPE_INTERMEDIATE : State.GROUND;
        };
  }

  private static State afterC1(char c) {
    return switch (c) {
      case 0x9B -> State.CSI;
      case 0x9D -> State.OSC;
      case 0x90, 0x98, 0x9E, 0x9F -> State.STRING;
      default -> State.GROUND; // ST (0x9C) ends a string; the other C1 controls are dropped
    };
  }

  /** DEL passes as printable: the caller decides (ignored in output, an erase in typed input). */
  private static void printOrExecute(char c, StringBuilder out) {
    if (c >= 0x20) {
      out.append(c);
    } else {
      execute(c, out);
    }
  }

  /** C0 controls are executed even inside a sequence; the ones a transcript needs are kept. */
  private static void execute(char c, StringBuilder out) {
    if (c == '\b' || c == '\t' || c == '\n' || c == '\r') {
      out.append(c);
    }
  }
}
