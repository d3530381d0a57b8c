package io.tether.cli.rfc2217;

import static io.tether.cli.rfc2217.Telnet.SERVER_OFFSET;

import io.tether.protocol.LineSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * The RFC 2217 commands of one connection: each SET becomes a LINE block for the device's serial
 * port and a reply (command + 100) carrying the value in effect. A value of 0 asks for the value in
 * effect without changing it. The tunnel reports no serial settings back, so "in effect" means what
 * this connection last set; before that a query is answered with 0 (unknown).
 */
final class ComPortCommands {
  /**
   * Shortest BREAK sent. BREAK-ON and BREAK-OFF can arrive in one TCP segment, measuring ~0 ms,
   * though the client did ask for a break; 100 ms is longer than a character at 110 baud and up.
   */
  static final int BREAK_FLOOR_MILLIS = 100;

  /** A Telnet BRK command (no duration of its own) holds BREAK this long, like tcsendbreak(0). */
  static final int TELNET_BREAK_MILLIS = 250;

  /** Answered to a signature request. */
  static final String SIGNATURE = "Tether tether-cli (serial port via the Tether portal)";

  /** The outcome of one command: a reply for the client and a LINE, each possibly null. */
  record Outcome(byte[] reply, LineSettings line) {
    static final Outcome NONE = new Outcome(null, null);
  }

  /** A command broke RFC 2217's rules (wrong length, unknown code): it is dropped. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  private final LongSupplier nanoClock;
  private long baud; // 0: not set by this connection
  private int dataSize;
  private int parity; // RFC 2217 code 1..5
  private int stopSize; // RFC 2217 code 1..3
  private int flow; // outbound SET-CONTROL code 1..3
  private int dtr; // SET-CONTROL code 8/9
  private int rts; // SET-CONTROL code 11/12
  private long breakSince = -1; // nanos of BREAK-ON, -1 while off

  ComPortCommands(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** A subnegotiation of COM-PORT-OPTION: {@code command value…}. */
  Outcome handle(byte[] body) throws Malformed {
    if (body.length == 0) {
      throw new Malformed("empty COM-PORT-OPTION subnegotiation");
    }
    int command = body[0] & 0xff;
    byte[] value = java.util.Arrays.copyOfRange(body, 1, body.length);
    return switch (command) {
      case Telnet.SIGNATURE ->
          value.length == 0
              ? new Outcome(reply(command, SIGNATURE.getBytes(StandardCharsets.US_ASCII)), null)
              : Outcome.NONE; // the client's own signature: nothing to answer
      case Telnet.SET_BAUDRATE -> baudRate(value);
      case Telnet.SET_DATASIZE -> {
        int v = oneByte(command, value);
        if (v >= 5 && v <= 8) {
          dataSize = v;
          yield set(command, v, line(LineSettings.DATA_BITS, 0, v, 0, 0, 0, false, false, 0));
        }
        yield answer(command, dataSize);
      }
      case Telnet.SET_PARITY -> {
        int v = oneByte(command, value);
        if (v >= 1 && v <= 5) { // NONE, ODD, EVEN, MARK, SPACE: LineSettings' codes plus one
          parity = v;
          yield set(command, v, line(LineSettings.PARITY, 0, 0, v - 1, 0, 0, false, false, 0));
        }
        yield answer(command, parity);
      }
      case Telnet.SET_STOPSIZE -> {
        int v = oneByte(command, value);
        if (v >= 1 && v <= 3) { // 1, 2, 1.5: the same codes as LineSettings
          stopSize = v;
          yield set(command, v, line(LineSettings.STOP_BITS, 0, 0, 0, v, 0, false, false, 0));
        }
        yield answer(command, stopSize);
      }
      case Telnet.SET_CONTROL -> SetControl.handle(this, oneByte(command, value));
      case Telnet.SET_LINESTATE_MASK, Telnet.SET_MODEMSTATE_MASK -> {
        oneByte(command, value);
        yield answer(command, 0); // the tunnel carries no line or modem state: nothing to notify
      }
      case Telnet.PURGE_DATA -> {
        int v = oneByte(command, value);
        if (v < 1 || v > 3) {
          throw new Malformed("PURGE-DATA " + v + " is not 1, 2 or 3");
        }
        // acknowledged; bytes already in the tunnel are delivered: it never drops a byte
        yield answer(command, v);
      }
      // notifications and flow-control suspend/resume: the tunnel's own backpressure stands in
      case Telnet.NOTIFY_LINESTATE,
          Telnet.NOTIFY_MODEMSTATE,
          Telnet.FLOWCONTROL_SUSPEND,
          Telnet.FLOWCONTROL_RESUME ->
          Outcome.NONE;
      default -> throw new Malformed("unknown COM-PORT-OPTION command " + command);
    };
  }

  /** A Telnet BRK: a BREAK of fixed length. */
  LineSettings telnetBreak() {
    return line(LineSettings.BREAK, 0, 0, 0, 0, 0, false, false, TELNET_BREAK_MILLIS);
  }

  private Outcome baudRate(byte[] value) throws Malformed {
    if (value.length != 4) {
      throw new Malformed("SET-BAUDRATE needs 4 bytes, got " + value.length);
    }
    long v = ByteBuffer.wrap(value).getInt() & 0xffffffffL;
    byte[] reply;
    if (v >= 1 && v <= LineSettings.MAX_BAUD) {
      baud = v;
      reply = reply(Telnet.SET_BAUDRATE, value);
      return new Outcome(reply, line(LineSettings.BAUD, v, 0, 0, 0, 0, false, false, 0));
    }
    // 0 asks; anything above MAX_BAUD is refused by answering the rate in effect
    return new Outcome(
        reply(Telnet.SET_BAUDRATE, ByteBuffer.allocate(4).putInt((int) baud).array()), null);
  }

  // --- SET-CONTROL state, used by SetControl ---

  int flow() {
    return flow;
  }

  void flow(int code) {
    flow = code;
  }

  int dtr() {
    return dtr;
  }

  void dtr(int code) {
    dtr = code;
  }

  int rts() {
    return rts;
  }

  void rts(int code) {
    rts = code;
  }

  boolean breakOn() {
    return breakSince >= 0;
  }

  void breakOn(boolean on) {
    breakSince = on ? nanoClock.getAsLong() : -1;
  }

  /** How long BREAK was on, floored and capped to what a LINE block carries. */
  int breakMillis() {
    long ms = (nanoClock.getAsLong() - breakSince) / 1_000_000;
    return (int) Math.max(BREAK_FLOOR_MILLIS, Math.min(ms, LineSettings.MAX_BREAK_MILLIS));
  }

  // --- helpers ---

  static LineSettings line(
      int mask,
      long baud,
      int dataBits,
      int parity,
      int stopBits,
      int flow,
      boolean dtr,
      boolean rts,
      int breakMillis) {
    return new LineSettings(mask, baud, dataBits, parity, stopBits, flow, dtr, rts, breakMillis);
  }

  static Outcome set(int command, int value, LineSettings line) {
    return new Outcome(reply(command, new byte[] {(byte) value}), line);
  }

  static Outcome answer(int command, int value) {
    return new Outcome(reply(command, new byte[] {(byte) value}), null);
  }

  static byte[] reply(int command, byte[] value) {
    return Telnet.comPort(command + SERVER_OFFSET, value);
  }

  static int oneByte(int command, byte[] value) throws Malformed {
    if (value.length != 1) {
      throw new Malformed(
          "COM-PORT-OPTION command " + command + " needs 1 byte, got " + value.length);
    }
    return value[0] & 0xff;
  }
}
