package io.tether.protocol;

/**
 * Serial line settings (LINE frames and OPEN options). Only fields whose bit is set in {@code mask}
 * apply; the others are present on the wire but ignored (dtr and rts must still be 0 or 1). Fixed
 * size: mask(1) baud(4) dataBits(1) parity(1) stopBits(1) flow(1) dtr(1) rts(1) breakMillis(2).
 */
public record LineSettings(
    int mask,
    long baud,
    int dataBits,
    int parity,
    int stopBits,
    int flowControl,
    boolean dtr,
    boolean rts,
    int breakMillis) {
  public static final int BAUD = 1;
  public static final int DATA_BITS = 1 << 1;
  public static final int PARITY = 1 << 2;
  public static final int STOP_BITS = 1 << 3;
  public static final int FLOW = 1 << 4;
  public static final int DTR = 1 << 5;
  public static final int RTS = 1 << 6;
  public static final int BREAK = 1 << 7;

  public static final int PARITY_NONE = 0;
  public static final int PARITY_ODD = 1;
  public static final int PARITY_EVEN = 2;
  public static final int PARITY_MARK = 3;
  public static final int PARITY_SPACE = 4;

  /** stopBits codes: 1 = one, 2 = two, 3 = one and a half. */
  public static final int STOP_ONE_AND_HALF = 3;

  public static final int FLOW_NONE = 0;
  public static final int FLOW_RTS_CTS = 1;
  public static final int FLOW_XON_XOFF = 2;

  /** Bytes of the encoded block, see the class comment. */
  public static final int ENCODED_SIZE = 13;

  /** Highest baud rate accepted: above any UART a device server has. */
  public static final long MAX_BAUD = 4_000_000;

  /** Longest BREAK: a few seconds is already an unusual console reset. */
  public static final int MAX_BREAK_MILLIS = 10_000;

  public static LineSettings baud(long baud) {
    return new LineSettings(BAUD, baud, 8, PARITY_NONE, 1, FLOW_NONE, false, false, 0);
  }

  public boolean has(int field) {
    return (mask & field) != 0;
  }

  void write(PayloadWriter w) {
    w.u8(mask)
        .u32(baud)
        .u8(dataBits)
        .u8(parity)
        .u8(stopBits)
        .u8(flowControl)
        .u8(dtr ? 1 : 0)
        .u8(rts ? 1 : 0)
        .u16(breakMillis);
  }

  public byte[] encode() {
    PayloadWriter w = new PayloadWriter();
    write(w);
    return w.toBytes();
  }

  static LineSettings read(PayloadReader r) throws ProtocolException {
    LineSettings s =
        new LineSettings(
            r.u8(), r.u32(), r.u8(), r.u8(), r.u8(), r.u8(), flag(r.u8()), flag(r.u8()), r.u16());
    s.validate();
    return s;
  }

  public static LineSettings decode(byte[] payload) throws ProtocolException {
    PayloadReader r = new PayloadReader(payload, "LINE");
    LineSettings s = read(r);
    r.end();
    return s;
  }

  private static boolean flag(int v) throws ProtocolException {
    if (v > 1) {
      throw new ProtocolException("LINE: dtr/rts must be 0 or 1");
    }
    return v == 1;
  }

  private void validate() throws ProtocolException {
    if (has(BAUD) && (baud < 1 || baud > MAX_BAUD)) {
      throw new ProtocolException("LINE: baud " + baud + " is out of range");
    }
    if (has(DATA_BITS) && (dataBits < 5 || dataBits > 8)) {
      throw new ProtocolException("LINE: data bits must be 5 to 8");
    }
    if (has(PARITY) && parity > PARITY_SPACE) {
      throw new ProtocolException("LINE: unknown parity " + parity);
    }
    if (has(STOP_BITS) && (stopBits < 1 || stopBits > STOP_ONE_AND_HALF)) {
      throw new ProtocolException("LINE: stop bits code must be 1, 2 or 3");
    }
    if (has(FLOW) && flowControl > FLOW_XON_XOFF) {
      throw new ProtocolException("LINE: unknown flow control " + flowControl);
    }
    if (has(BREAK) && breakMillis > MAX_BREAK_MILLIS) {
      throw new ProtocolException("LINE: break of " + breakMillis + " ms is too long");
    }
  }
}
