package io.tether.cli.rfc2217;

import static io.tether.cli.rfc2217.Telnet.DO;
import static io.tether.cli.rfc2217.Telnet.DONT;
import static io.tether.cli.rfc2217.Telnet.IAC;
import static io.tether.cli.rfc2217.Telnet.SB;
import static io.tether.cli.rfc2217.Telnet.SE;
import static io.tether.cli.rfc2217.Telnet.WILL;
import static io.tether.cli.rfc2217.Telnet.WONT;

/**
 * Splits a Telnet byte stream from the client into data bytes and commands. An explicit state
 * machine, so a command split across reads is recognised wherever the split falls.
 *
 * <p>Unlike the tunnel's frame decoder it never enters a final error state: Telnet resynchronises
 * at the next IAC, and one bad command from a COM port redirector must not end a console session. A
 * malformed or oversized subnegotiation is dropped and reported; its bytes never become data.
 */
public final class TelnetDecoder {
  /**
   * Longest subnegotiation body kept (after the option byte). The longest legitimate one is a
   * client's RFC 2217 SIGNATURE, a product name; SET-BAUDRATE needs 5 bytes. Bounds what a client
   * can make the CLI hold.
   */
  public static final int MAX_SUBNEGOTIATION = 256;

  /** What the decoder found besides data. */
  public interface Events {
    /** {@code IAC WILL|WONT|DO|DONT option}. */
    void option(int verb, int option);

    /**
     * A complete {@code IAC SB option body IAC SE} (0xFF unescaped). Returns true when it changes
     * the serial line: the decoder then stops right after it, so data before it goes out first.
     */
    boolean subnegotiation(int option, byte[] body);

    /** Any other {@code IAC command} (NOP, BRK, AYT …); true when it changes the line. */
    boolean command(int command);

    /** Input that breaks Telnet's rules; it was dropped. */
    void malformed(String why);
  }

  /** How far one {@link #feed} got: input bytes consumed and data bytes written. */
  public record Step(int consumed, int data) {}

  private enum State {
    DATA,
    IAC,
    OPTION,
    SB_OPTION,
    SB_BODY,
    SB_IAC,
    SB_DISCARD,
    SB_DISCARD_IAC
  }

  private final Events events;
  private final byte[] body = new byte[MAX_SUBNEGOTIATION];
  private State state = State.DATA;
  private int verb;
  private int sbOption;
  private int bodyLength;

  public TelnetDecoder(Events events) {
    this.events = events;
  }

  /**
   * Decodes {@code in[off, off+len)}, writing data bytes to {@code out} from {@code outOff} (never
   * more than {@code len}). Stops early, after a command that changed the line.
   */
  public Step feed(byte[] in, int off, int len, byte[] out, int outOff) {
    int o = outOff;
    for (int i = 0; i < len; i++) {
      int b = in[off + i] & 0xff;
      boolean stop =
          switch (state) {
            case DATA -> {
              if (b == IAC) {
                state = State.IAC;
              } else {
                out[o++] = (byte) b;
              }
              yield false;
            }
            case IAC -> {
              if (b == IAC) {
                out[o++] = (byte) IAC; // IAC IAC: one 0xFF data byte
                state = State.DATA;
                yield false;
              }
              yield afterIac(b);
            }
            case OPTION -> {
              state = State.DATA;
              events.option(verb, b);
              yield false;
            }
            case SB_OPTION -> {
              if (b == IAC) {
                events.malformed("subnegotiation without an option");
                state = State.IAC;
              } else {
                sbOption = b;
                bodyLength = 0;
                state = State.SB_BODY;
              }
              yield false;
            }
            case SB_BODY -> {
              if (b == IAC) {
                state = State.SB_IAC;
              } else {
                append(b);
              }
              yield false;
            }
            case SB_IAC -> {
              if (b == SE) {
                state = State.DATA;
                byte[] whole = java.util.Arrays.copyOf(body, bodyLength);
                yield events.subnegotiation(sbOption, whole);
              }
              if (b == IAC) {
                state = State.SB_BODY;
                append(IAC);
                yield false;
              }
              events.malformed("IAC " + b + " inside a subnegotiation of option " + sbOption);
              yield afterIac(b); // the subnegotiation is dropped; the command is obeyed
            }
            case SB_DISCARD -> {
              if (b == IAC) {
                state = State.SB_DISCARD_IAC;
              }
              yield false;
            }
            case SB_DISCARD_IAC -> {
              if (b == SE) {
                state = State.DATA;
                yield false;
              }
              if (b == IAC) {
                state = State.SB_DISCARD;
                yield false;
              }
              yield afterIac(b);
            }
          };
      if (stop) {
        return new Step(i + 1, o - outOff);
      }
    }
    return new Step(len, o - outOff);
  }

  /** Handles the byte after an IAC that is not a second IAC. */
  private boolean afterIac(int b) {
    switch (b) {
      case WILL, WONT, DO, DONT -> {
        verb = b;
        state = State.OPTION;
        return false;
      }
      case SB -> {
        state = State.SB_OPTION;
        return false;
      }
      case SE -> {
        events.malformed("IAC SE outside a subnegotiation");
        state = State.DATA;
        return false;
      }
      default -> {
        state = State.DATA;
        return events.command(b);
      }
    }
  }

  private void append(int b) {
    if (bodyLength == body.length) {
      events.malformed(
          "subnegotiation of option "
              + sbOption
              + " longer than "
              + MAX_SUBNEGOTIATION
              + " bytes: dropped");
      state = State.SB_DISCARD;
      return;
    }
    body[bodyLength++] = (byte) b;
  }
}
