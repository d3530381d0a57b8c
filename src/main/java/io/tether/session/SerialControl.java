package io.tether.session;

import io.tether.protocol.LineSettings;
import io.vertx.core.json.JsonObject;

/** Turns the terminal's JSON serial settings ({"type":"line", "baud":9600, ...}) into LINE. */
final class SerialControl {
  private SerialControl() {}

  static LineSettings toLine(JsonObject msg) {
    int mask = 0;
    long baud = 0;
    int dataBits = 8;
    int parity = LineSettings.PARITY_NONE;
    int stop = 1;
    int flow = LineSettings.FLOW_NONE;
    int breakMs = 0;
    if (msg.containsKey("baud")) {
      mask |= LineSettings.BAUD;
      baud = msg.getLong("baud");
      if (baud < 50 || baud > LineSettings.MAX_BAUD) {
        throw new IllegalArgumentException("baud must be 50-" + LineSettings.MAX_BAUD);
      }
    }
    if (msg.containsKey("dataBits")) {
      mask |= LineSettings.DATA_BITS;
      dataBits = msg.getInteger("dataBits");
      if (dataBits < 5 || dataBits > 8) {
        throw new IllegalArgumentException("dataBits must be 5-8");
      }
    }
    if (msg.containsKey("parity")) {
      mask |= LineSettings.PARITY;
      parity =
          switch (msg.getString("parity")) {
            case "none" -> LineSettings.PARITY_NONE;
            case "odd" -> LineSettings.PARITY_ODD;
            case "even" -> LineSettings.PARITY_EVEN;
            case "mark" -> LineSettings.PARITY_MARK;
            case "space" -> LineSettings.PARITY_SPACE;
            default ->
                throw new IllegalArgumentException("parity must be none, odd, even, mark or space");
          };
    }
    if (msg.containsKey("stopBits")) {
      mask |= LineSettings.STOP_BITS;
      stop =
          switch (String.valueOf(msg.getValue("stopBits"))) {
            case "1" -> 1;
            case "2" -> 2;
            case "1.5" -> LineSettings.STOP_ONE_AND_HALF;
            default -> throw new IllegalArgumentException("stopBits must be 1, 1.5 or 2");
          };
    }
    if (msg.containsKey("flow")) {
      mask |= LineSettings.FLOW;
      flow =
          switch (msg.getString("flow")) {
            case "none" -> LineSettings.FLOW_NONE;
            case "rtscts" -> LineSettings.FLOW_RTS_CTS;
            case "xonxoff" -> LineSettings.FLOW_XON_XOFF;
            default -> throw new IllegalArgumentException("flow must be none, rtscts or xonxoff");
          };
    }
    if ("break".equals(msg.getString("type"))) {
      mask |= LineSettings.BREAK;
      breakMs = msg.getInteger("ms", 250);
      if (breakMs < 1 || breakMs > LineSettings.MAX_BREAK_MILLIS) {
        throw new IllegalArgumentException("break ms must be 1-" + LineSettings.MAX_BREAK_MILLIS);
      }
    }
    return new LineSettings(mask, baud, dataBits, parity, stop, flow, false, false, breakMs);
  }
}
