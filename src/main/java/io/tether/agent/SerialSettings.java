package io.tether.agent;

import com.fazecast.jSerialComm.SerialPort;
import java.util.Map;

/** Serial line settings in the agent's own terms, mapped to jSerialComm's constants. */
public record SerialSettings(int baud, int dataBits, Parity parity, StopBits stopBits, Flow flow) {
  /** Parity. */
  public enum Parity {
    NONE(SerialPort.NO_PARITY),
    ODD(SerialPort.ODD_PARITY),
    EVEN(SerialPort.EVEN_PARITY),
    MARK(SerialPort.MARK_PARITY),
    SPACE(SerialPort.SPACE_PARITY);

    final int code;

    Parity(int code) {
      this.code = code;
    }
  }

  /** Stop bits. */
  public enum StopBits {
    ONE(SerialPort.ONE_STOP_BIT),
    ONE_AND_HALF(SerialPort.ONE_POINT_FIVE_STOP_BITS),
    TWO(SerialPort.TWO_STOP_BITS);

    final int code;

    StopBits(int code) {
      this.code = code;
    }
  }

  /** Flow control. */
  public enum Flow {
    NONE(SerialPort.FLOW_CONTROL_DISABLED),
    RTS_CTS(SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED),
    XON_XOFF(
        SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED);

    final int code;

    Flow(int code) {
      this.code = code;
    }
  }

  /** 115200 8N1 without flow control: what most consoles use. */
  public static final SerialSettings DEFAULT =
      new SerialSettings(115200, 8, Parity.NONE, StopBits.ONE, Flow.NONE);

  /** Settings from a target's query string, e.g. {@code baud=9600&parity=even&flow=rtscts}. */
  public static SerialSettings fromOptions(Map<String, String> options) {
    SerialSettings s = DEFAULT;
    for (Map.Entry<String, String> e : options.entrySet()) {
      String v = e.getValue().toLowerCase(java.util.Locale.ROOT);
      s =
          switch (e.getKey()) {
            case "baud" -> s.withBaud(Integer.parseInt(v));
            case "databits", "dataBits" ->
                new SerialSettings(s.baud, Integer.parseInt(v), s.parity, s.stopBits, s.flow);
            case "parity" ->
                new SerialSettings(
                    s.baud,
                    s.dataBits,
                    Parity.valueOf(v.toUpperCase(java.util.Locale.ROOT)),
                    s.stopBits,
                    s.flow);
            case "stopbits", "stopBits" ->
                new SerialSettings(
                    s.baud,
                    s.dataBits,
                    s.parity,
                    switch (v) {
                      case "1" -> StopBits.ONE;
                      case "1.5" -> StopBits.ONE_AND_HALF;
                      case "2" -> StopBits.TWO;
                      default -> throw new IllegalArgumentException("stopbits must be 1, 1.5 or 2");
                    },
                    s.flow);
            case "flow" ->
                new SerialSettings(
                    s.baud,
                    s.dataBits,
                    s.parity,
                    s.stopBits,
                    switch (v) {
                      case "none" -> Flow.NONE;
                      case "rtscts" -> Flow.RTS_CTS;
                      case "xonxoff" -> Flow.XON_XOFF;
                      default ->
                          throw new IllegalArgumentException(
                              "flow must be none, rtscts or xonxoff");
                    });
            default ->
                throw new IllegalArgumentException("unknown serial option '" + e.getKey() + "'");
          };
    }
    s.validate();
    return s;
  }

  public SerialSettings withBaud(int value) {
    return new SerialSettings(value, dataBits, parity, stopBits, flow);
  }

  void validate() {
    if (baud < 50 || baud > 4_000_000) {
      throw new IllegalArgumentException("baud " + baud + " is out of range (50-4000000)");
    }
    if (dataBits < 5 || dataBits > 8) {
      throw new IllegalArgumentException("data bits must be 5-8");
    }
  }

  void applyTo(SerialPort port) {
    port.setComPortParameters(baud, dataBits, stopBits.code, parity.code);
    port.setFlowControl(flow.code);
  }
}
