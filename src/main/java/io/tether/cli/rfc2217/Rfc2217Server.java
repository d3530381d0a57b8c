package io.tether.cli.rfc2217;

import io.tether.protocol.LineSettings;
import java.util.function.LongSupplier;

/**
 * The server side of Telnet with COM-PORT-OPTION (RFC 2217) for one forwarded connection, with no
 * I/O of its own: it hears what the {@link TelnetDecoder} found and says what to send to the client
 * and which LINE blocks to send to the device.
 */
public final class Rfc2217Server implements TelnetDecoder.Events {
  /** Problems logged per connection; a client that keeps sending garbage does not flood the log. */
  static final int MAX_LOGGED = 10;

  /** Where the server's answers go. */
  public interface Output {
    /** Telnet bytes for the client (already escaped). */
    void toClient(byte[] bytes);

    /** A LINE block for the device's serial port. */
    void line(LineSettings settings);

    void log(String line);
  }

  private final Output out;
  private final TelnetOptions options = new TelnetOptions();
  private final ComPortCommands commands;
  private int logged;

  public Rfc2217Server(Output out, LongSupplier nanoClock) {
    this.out = out;
    this.commands = new ComPortCommands(nanoClock);
  }

  @Override
  public void option(int verb, int option) {
    byte[] answer = options.answer(verb, option);
    if (answer != null) {
      out.toClient(answer);
    }
  }

  @Override
  public boolean subnegotiation(int option, byte[] body) {
    if (option != Telnet.COM_PORT_OPTION) {
      log("subnegotiation of option " + option + " ignored");
      return false;
    }
    ComPortCommands.Outcome outcome;
    try {
      outcome = commands.handle(body);
    } catch (ComPortCommands.Malformed e) {
      log(e.getMessage() + ": dropped");
      return false;
    }
    if (outcome.line() != null) {
      out.line(outcome.line());
    }
    if (outcome.reply() != null) {
      out.toClient(outcome.reply());
    }
    return outcome.line() != null;
  }

  @Override
  public boolean command(int command) {
    if (command == Telnet.BRK) {
      out.line(commands.telnetBreak());
      return true;
    }
    return false; // NOP, AYT, GA and the like mean nothing to a serial port
  }

  @Override
  public void malformed(String why) {
    log(why + ": dropped");
  }

  private void log(String line) {
    if (logged < MAX_LOGGED) {
      logged++;
      out.log(
          "RFC 2217: "
              + line
              + (logged == MAX_LOGGED ? " (further problems on this connection not logged)" : ""));
    }
  }
}
