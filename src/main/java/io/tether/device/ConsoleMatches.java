package io.tether.device;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * Keeps each device's last console match, which its views and the fleet page's badge show. Here,
 * with the device, so that the device views need nothing of the console log that raises them.
 */
@ApplicationScoped
public class ConsoleMatches {
  /** A badge shows this much of the line: a tooltip, not the log (the audit entry has as much). */
  public static final int MAX_LINE_CHARS = 200;

  @Inject Event<ConsoleMatchShown> shown;

  /**
   * Stores {@code match} as the device's last one, unless the device is gone or already shows a
   * later one; must run in a transaction. The line is cut to {@link #MAX_LINE_CHARS}.
   */
  public void show(long deviceId, DeviceApi.ConsoleMatch match) {
    Device device = Device.findLive(deviceId).orElse(null);
    if (device == null
        || (device.consoleMatchAt != null && device.consoleMatchAt.isAfter(match.at()))) {
      return;
    }
    String line = cut(match.line());
    device.consoleMatchRule = match.rule();
    device.consoleMatchSeverity = match.severity();
    device.consoleMatchTarget = match.target();
    device.consoleMatchLine = line;
    device.consoleMatchAt = match.at();
    shown.fire(
        new ConsoleMatchShown(
            deviceId,
            device.group.id,
            new DeviceApi.ConsoleMatch(
                match.rule(), match.severity(), match.target(), line, match.at())));
  }

  public static String cut(String line) {
    return line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS);
  }
}
