package io.tether.cli.rfc2217;

import static io.tether.cli.rfc2217.ComPortCommands.answer;
import static io.tether.cli.rfc2217.ComPortCommands.line;
import static io.tether.cli.rfc2217.ComPortCommands.set;

import io.tether.cli.rfc2217.ComPortCommands.Malformed;
import io.tether.cli.rfc2217.ComPortCommands.Outcome;
import io.tether.protocol.LineSettings;

/**
 * RFC 2217 SET-CONTROL (command 5): flow control, BREAK, DTR and RTS. The LINE block has one flow
 * setting for both directions, so outbound (1–3) and inbound (14–16) requests both set it; DCD, DTR
 * and DSR flow control (17–19) are refused by answering the setting in effect.
 *
 * <p>BREAK: a LINE block holds BREAK for a duration rather than switching it on and off, so
 * BREAK-ON only starts a clock and BREAK-OFF sends a BREAK as long as it was on (at least {@link
 * ComPortCommands#BREAK_FLOOR_MILLIS}, at most {@link LineSettings#MAX_BREAK_MILLIS}). The device
 * sees the break when the client ends it; a break still on when the connection ends is not sent.
 */
final class SetControl {
  private static final int COMMAND = Telnet.SET_CONTROL;
  private static final int INBOUND = 13; // inbound codes are the outbound ones plus 13

  private SetControl() {}

  static Outcome handle(ComPortCommands c, int v) throws Malformed {
    return switch (v) {
      case 0 -> answer(COMMAND, c.flow());
      case 1, 2, 3 -> flow(c, v, v);
      case 4 -> answer(COMMAND, c.breakOn() ? 5 : 6);
      case 5 -> {
        if (!c.breakOn()) {
          c.breakOn(true);
        }
        yield answer(COMMAND, 5);
      }
      case 6 -> {
        if (!c.breakOn()) {
          yield answer(COMMAND, 6);
        }
        int millis = c.breakMillis();
        c.breakOn(false);
        yield set(COMMAND, 6, line(LineSettings.BREAK, 0, 0, 0, 0, 0, false, false, millis));
      }
      case 7 -> answer(COMMAND, c.dtr());
      case 8, 9 -> {
        c.dtr(v);
        yield set(COMMAND, v, line(LineSettings.DTR, 0, 0, 0, 0, 0, v == 8, false, 0));
      }
      case 10 -> answer(COMMAND, c.rts());
      case 11, 12 -> {
        c.rts(v);
        yield set(COMMAND, v, line(LineSettings.RTS, 0, 0, 0, 0, 0, false, v == 11, 0));
      }
      case 13, 17, 18, 19 -> answer(COMMAND, c.flow() == 0 ? 0 : c.flow() + INBOUND);
      case 14, 15, 16 -> flow(c, v - INBOUND, v);
      default -> throw new Malformed("unknown SET-CONTROL value " + v);
    };
  }

  /** RFC 2217 flow code 1 none, 2 XON/XOFF, 3 hardware, as the LINE block's flow field. */
  private static Outcome flow(ComPortCommands c, int code, int replyValue) {
    c.flow(code);
    int flow =
        switch (code) {
          case 2 -> LineSettings.FLOW_XON_XOFF;
          case 3 -> LineSettings.FLOW_RTS_CTS;
          default -> LineSettings.FLOW_NONE;
        };
    return set(COMMAND, replyValue, line(LineSettings.FLOW, 0, 0, 0, 0, flow, false, false, 0));
  }
}
