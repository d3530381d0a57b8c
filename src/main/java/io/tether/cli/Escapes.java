package io.tether.cli;

import java.io.ByteArrayOutputStream;

/**
 * ssh's escapes in what the user types into {@code tether connect}: a {@code ~} right after Enter
 * (or first) starts one — {@code ~.} leaves, {@code ~B} sends a serial BREAK, {@code ~T} takes
 * control, {@code ~?} lists them, {@code ~~} sends one tilde; a tilde before anything else is sent
 * with it.
 */
final class Escapes {
  /** What the keys asked for besides the bytes to send. */
  enum Action {
    LEAVE,
    BREAK,
    TAKE_OVER,
    HELP
  }

  /** Where the actions go. */
  interface Actions {
    void act(Action action);
  }

  static final String HELP =
      "Escapes (after Enter): ~. leave   ~B send BREAK   ~T take control   ~? this help   ~~ a ~";

  private boolean lineStart = true;
  private boolean tilde;

  /** The bytes of {@code typed} to send to the device; escapes go to {@code actions}. */
  byte[] feed(byte[] typed, int length, Actions actions) {
    ByteArrayOutputStream send = new ByteArrayOutputStream(length);
    for (int i = 0; i < length; i++) {
      byte b = typed[i];
      if (tilde) {
        tilde = false;
        switch (b) {
          case '.' -> {
            actions.act(Action.LEAVE);
            return send.toByteArray(); // nothing after leaving is sent
          }
          case 'B' -> actions.act(Action.BREAK);
          case 'T' -> actions.act(Action.TAKE_OVER);
          case '?' -> actions.act(Action.HELP);
          case '~' -> send.write('~');
          default -> {
            send.write('~');
            send.write(b);
          }
        }
        lineStart = false;
        continue;
      }
      if (lineStart && b == '~') {
        tilde = true;
        continue;
      }
      send.write(b);
      lineStart = b == '\r' || b == '\n';
    }
    return send.toByteArray();
  }
}
