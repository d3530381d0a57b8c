package io.tether.alert;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The text of alert mails: one alert, or a digest of several. Plain text (no HTML: nothing from a
 * device's output is ever interpreted by a mail reader), each line bounded.
 */
final class AlertMessages {
  /** A digest lists at most this many alerts, then says how many more there were. */
  static final int DIGEST_LINES = 100;

  /** A device's matched line or a detail is cut to this many characters. */
  static final int DETAIL_CHARS = 200;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** A mail ready to send. */
  record Mail(String subject, String text) {}

  private AlertMessages() {}

  /** {@code alerts}: oldest first, at least one, all of which the reader may see. */
  static Mail build(List<Alert> alerts, String portalUrl) {
    String base =
        portalUrl.endsWith("/") ? portalUrl.substring(0, portalUrl.length() - 1) : portalUrl;
    String footer =
        "\n-- \nYou get this mail because you subscribed to these alerts on Tether.\n"
            + "Change or stop them: "
            + base
            + "/account\n";
    if (alerts.size() == 1) {
      Alert a = alerts.get(0);
      String detail = cut(a.detail());
      StringBuilder text =
          new StringBuilder()
              .append(a.deviceName())
              .append(": ")
              .append(a.kind().headline())
              .append(" at ")
              .append(TIME.format(a.at()))
              .append(".\n");
      if (!detail.isEmpty()) {
        text.append(detail).append('\n');
      }
      text.append("\nDevice: ").append(link(base, a)).append('\n').append(footer);
      return new Mail("[Tether] " + a.deviceName() + ": " + a.kind().headline(), text.toString());
    }
    Map<AlertKind, Long> counts =
        alerts.stream()
            .collect(
                Collectors.groupingBy(
                    Alert::kind, () -> new EnumMap<>(AlertKind.class), Collectors.counting()));
    String summary =
        counts.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey().headline())
            .collect(Collectors.joining(", "));
    StringBuilder text =
        new StringBuilder()
            .append(alerts.size())
            .append(" alerts: ")
            .append(summary)
            .append("\n\n");
    for (Alert a : alerts.subList(0, Math.min(DIGEST_LINES, alerts.size()))) {
      text.append(TIME.format(a.at()))
          .append("  ")
          .append(a.deviceName())
          .append(": ")
          .append(a.kind().headline());
      String detail = cut(a.detail());
      if (!detail.isEmpty()) {
        text.append(" — ").append(detail);
      }
      text.append("\n    ").append(link(base, a)).append('\n');
    }
    if (alerts.size() > DIGEST_LINES) {
      text.append("… and ").append(alerts.size() - DIGEST_LINES).append(" more\n");
    }
    text.append(footer);
    return new Mail("[Tether] " + alerts.size() + " alerts: " + summary, text.toString());
  }

  private static String link(String base, Alert a) {
    return base + "/devices/" + a.deviceId();
  }

  /** One line: control characters (a device's output may hold any) become spaces. */
  static String cut(String s) {
    String line = s.replaceAll("\\p{Cntrl}", " ").strip();
    return line.length() <= DETAIL_CHARS ? line : line.substring(0, DETAIL_CHARS) + "…";
  }
}
