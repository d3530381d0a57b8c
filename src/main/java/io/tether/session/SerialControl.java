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
    if (msg.getValue("baud") != null) {
      mask |= LineSettings.BAUD;
      baud = ControlFields.integer(msg, "baud", 50, (int) LineSettings.MAX_BAUD, 0);
    }
    if (msg.getValue("dataBits") != null) {
      mask |= LineSettings.DATA_BITS;
      dataBits = ControlFields.integer(msg, "dataBits", 5, 8, dataBits);
    }
    if (msg.getValue("parity") != null) {
      mask |= LineSettings.PARITY;
      parity =
          switch (ControlFields.string(msg, "parity", "")) {
            case "none" -> LineSettings.PARITY_NONE;
            case "odd" -> LineSettings.PARITY_ODD;
            case "even" -> LineSettings.PARITY_EVEN;
            case "mark" -> LineSettings.PARITY_MARK;
            case "space" -> LineSettings.PARITY_SPACE;
            default ->
                throw new IllegalArgumentException("parity must be none, odd, even, mark or space");
          };
    }
    if (msg.getValue("stopBits") != null) {
      mask |= LineSettings.STOP_BITS;
      stop =
          switch (String.valueOf(msg.getValue("stopBits"))) {
            case "1" -> 1;
            case "2" -> 2;
            case "1.5" -> LineSettings.STOP_ONE_AND_HALF;
            default -> throw new IllegalArgumentException("stopBits must be 1, 1.5 or 2");
          };
    }
    if (msg.getValue("flow") != null) {
      mask |= LineSettings.FLOW;
      flow =
          switch (ControlFields.string(msg, "flow", "")) {
            case "none" -> LineSettings.FLOW_NONE;
            case "rtscts" -> LineSettings.FLOW_RTS_CTS;
            case "xonxoff" -> LineSettings.FLOW_XON_XOFF;
            default -> throw new IllegalArgumentException("flow must be none, rtscts or xonxoff");
          };
    }
    if ("break".equals(ControlFields.string(msg, "type", ""))) {
      mask |= LineSettings.BREAK;
      breakMs = ControlFields.integer(msg, "ms", 1, LineSettings.MAX_BREAK_MILLIS, 250);
    }
    return new LineSettings(mask, baud, dataBits, parity, stop, flow, false, false, breakMs);
  }
}
