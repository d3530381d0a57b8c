package io.tether.tunnel;

import io.tether.device.DeviceTarget;
import io.tether.protocol.Hello;
import io.tether.protocol.Messages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The targets an agent offers and their last reported status; owned by the tunnel's loop. */
final class TargetStates {
  private final Map<String, Hello.Target> offered = new LinkedHashMap<>();
  private final Map<String, String> status = new LinkedHashMap<>();
  private final Map<String, Integer> inUse = new LinkedHashMap<>();

  TargetStates(List<Hello.Target> targets) {
    for (Hello.Target t : targets) {
      offered.put(t.name(), t);
      status.put(t.name(), "ok");
    }
  }

  boolean offers(String name) {
    return offered.containsKey(name);
  }

  boolean isSerial(String name) {
    Hello.Target t = offered.get(name);
    return t != null && t.kind() == io.tether.protocol.TargetKind.SERIAL;
  }

  /**
   * A status report for an unknown target is ignored (the agent's list is the HELLO's); answers the
   * status it replaced when it changed, else null.
   */
  String update(Messages.TargetStatus report) {
    if (!offered.containsKey(report.target())) {
      return null;
    }
    String previous = status.put(report.target(), report.label());
    return report.label().equals(previous) ? null : previous;
  }

  /** A channel to the target opened (+1) or closed (-1); a serial target in use shows "busy". */
  boolean use(String name, int delta) {
    int before = inUse.getOrDefault(name, 0);
    int after = Math.max(0, before + delta);
    inUse.put(name, after);
    return isSerial(name) && (before == 0) != (after == 0);
  }

  private String shown(String name) {
    String reported = status.get(name);
    return "ok".equals(reported) && isSerial(name) && inUse.getOrDefault(name, 0) > 0
        ? "busy"
        : reported;
  }

  List<DeviceTarget> snapshot() {
    return offered.values().stream()
        .map(
            t ->
                new DeviceTarget(
                    t.name(),
                    t.kind().name().toLowerCase(Locale.ROOT),
                    t.description(),
                    shown(t.name())))
        .toList();
  }
}
