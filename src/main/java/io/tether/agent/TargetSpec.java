package io.tether.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target this agent offers, from {@code NAME=serial:/dev/ttyUSB0?baud=115200} or {@code
 * NAME=tcp:HOST:PORT}. Only the agent knows paths, hosts and ports; the portal names targets.
 */
public record TargetSpec(
    String name, Kind kind, String path, String host, int port, Map<String, String> options) {
  /** What kind of endpoint a target is. */
  public enum Kind {
    SERIAL,
    TCP
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
  private static final Pattern SERIAL = Pattern.compile("serial:([^?]+)(?:\\?(.*))?");
  private static final Pattern TCP = Pattern.compile("tcp:(\\[[^]]+]|[^:]+):(\\d{1,5})");

  public static TargetSpec parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException(
          "target '" + spec + "' must look like NAME=serial:/dev/ttyUSB0 or NAME=tcp:HOST:PORT");
    }
    String name = spec.substring(0, eq);
    String endpoint = spec.substring(eq + 1);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "target name '" + name + "' must be 1-32 letters, digits, _ . or -");
    }
    Matcher serial = SERIAL.matcher(endpoint);
    if (serial.matches()) {
      return new TargetSpec(name, Kind.SERIAL, serial.group(1), null, 0, query(serial.group(2)));
    }
    Matcher tcp = TCP.matcher(endpoint);
    if (tcp.matches()) {
      int port = Integer.parseInt(tcp.group(2));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "target '" + name + "': port " + port + " is out of range");
      }
      String host = tcp.group(1).replace("[", "").replace("]", "");
      return new TargetSpec(name, Kind.TCP, null, host, port, Map.of());
    }
    throw new IllegalArgumentException(
        "target '" + name + "': '" + endpoint + "' is neither serial:PATH nor tcp:HOST:PORT");
  }

  private static Map<String, String> query(String query) {
    Map<String, String> options = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return options;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("serial option '" + pair + "' must be KEY=VALUE");
      }
      options.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return options;
  }

  /** A description sent to the portal: what it is, never credentials. */
  public String description() {
    return kind == Kind.SERIAL ? "serial " + path : "tcp " + host + ":" + port;
  }
}
