package io.tether.cli.rfc2217;

import java.io.ByteArrayOutputStream;

/** Telnet (RFC 854, 855) and COM-PORT-OPTION (RFC 2217) codes, and the encoders for both. */
public final class Telnet {
  private Telnet() {}

  /** Interpret As Command: starts every command; doubled it is one 0xFF data byte. */
  public static final int IAC = 255;

  public static final int DONT = 254;
  public static final int DO = 253;
  public static final int WONT = 252;
  public static final int WILL = 251;

  /** Subnegotiation begin and end: {@code IAC SB option … IAC SE}. */
  public static final int SB = 250;

  public static final int SE = 240;

  /** The Telnet BREAK command (the "Break" key of a Telnet client). */
  public static final int BRK = 243;

  /** Options this server talks about. */
  public static final int BINARY = 0;

  public static final int ECHO = 1;
  public static final int SUPPRESS_GO_AHEAD = 3;
  public static final int COM_PORT_OPTION = 44;

  /** RFC 2217: a server's reply to client command {@code c} is {@code c + 100}. */
  public static final int SERVER_OFFSET = 100;

  // RFC 2217 client commands (the first byte of a COM-PORT-OPTION subnegotiation)
  public static final int SIGNATURE = 0;
  public static final int SET_BAUDRATE = 1;
  public static final int SET_DATASIZE = 2;
  public static final int SET_PARITY = 3;
  public static final int SET_STOPSIZE = 4;
  public static final int SET_CONTROL = 5;
  public static final int NOTIFY_LINESTATE = 6;
  public static final int NOTIFY_MODEMSTATE = 7;
  public static final int FLOWCONTROL_SUSPEND = 8;
  public static final int FLOWCONTROL_RESUME = 9;
  public static final int SET_LINESTATE_MASK = 10;
  public static final int SET_MODEMSTATE_MASK = 11;
  public static final int PURGE_DATA = 12;

  /** Data for the client: every 0xFF doubled, so it is not read as IAC. */
  public static byte[] escape(byte[] data, int offset, int length) {
    int ffs = 0;
    for (int i = offset; i < offset + length; i++) {
      if ((data[i] & 0xff) == IAC) {
        ffs++;
      }
    }
    byte[] out = new byte[length + ffs];
    int j = 0;
    for (int i = offset; i < offset + length; i++) {
      out[j++] = data[i];
      if ((data[i] & 0xff) == IAC) {
        out[j++] = (byte) IAC;
      }
    }
    return out;
  }

  /** {@code IAC verb option}, e.g. {@code IAC WILL COM-PORT-OPTION}. */
  public static byte[] option(int verb, int option) {
    return new byte[] {(byte) IAC, (byte) verb, (byte) option};
  }

  /** {@code IAC SB option body… IAC SE}, with 0xFF in the body doubled. */
  public static byte[] subnegotiation(int option, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 6);
    out.write(IAC);
    out.write(SB);
    out.write(option);
    byte[] escaped = escape(body, 0, body.length);
    out.write(escaped, 0, escaped.length);
    out.write(IAC);
    out.write(SE);
    return out.toByteArray();
  }

  /** A COM-PORT-OPTION subnegotiation: {@code command} then {@code value}. */
  public static byte[] comPort(int command, byte[] value) {
    byte[] body = new byte[value.length + 1];
    body[0] = (byte) command;
    System.arraycopy(value, 0, body, 1, value.length);
    return subnegotiation(COM_PORT_OPTION, body);
  }
}
