package io.tether.cli.rfc2217;

import static io.tether.cli.rfc2217.Telnet.DO;
import static io.tether.cli.rfc2217.Telnet.DONT;
import static io.tether.cli.rfc2217.Telnet.WILL;
import static io.tether.cli.rfc2217.Telnet.WONT;

/**
 * Option negotiation of the server side (RFC 854, without the queue of RFC 1143: this server never
 * asks first, it only answers). COM-PORT-OPTION, BINARY and SUPPRESS-GO-AHEAD are accepted in both
 * directions, as pyserial's rfc2217 client and COM port redirectors expect; every other option is
 * refused (ECHO too: the device echoes, if anything does). A request for the state already in
 * effect is not answered, so two ends can never loop.
 */
final class TelnetOptions {
  private final boolean[] us = new boolean[256];
  private final boolean[] him = new boolean[256];

  static boolean supported(int option) {
    return option == Telnet.COM_PORT_OPTION
        || option == Telnet.BINARY
        || option == Telnet.SUPPRESS_GO_AHEAD;
  }

  /** The answer to {@code IAC verb option}, or null when none is due. */
  byte[] answer(int verb, int option) {
    return switch (verb) {
      case DO -> {
        if (!supported(option)) {
          yield Telnet.option(WONT, option);
        }
        if (us[option]) {
          yield null;
        }
        us[option] = true;
        yield Telnet.option(WILL, option);
      }
      case DONT -> {
        if (!us[option]) {
          yield null;
        }
        us[option] = false;
        yield Telnet.option(WONT, option);
      }
      case WILL -> {
        if (!supported(option)) {
          yield Telnet.option(DONT, option);
        }
        if (him[option]) {
          yield null;
        }
        him[option] = true;
        yield Telnet.option(DO, option);
      }
      case WONT -> {
        if (!him[option]) {
          yield null;
        }
        him[option] = false;
        yield Telnet.option(DONT, option);
      }
      default -> null;
    };
  }
}
