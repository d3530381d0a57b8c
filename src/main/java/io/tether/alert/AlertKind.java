package io.tether.alert;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a user can be alerted of, by its wire name, and the outbox event that raises it. */
public enum AlertKind {
  DEVICE_OFFLINE("device.offline", "device.offline", "went offline"),
  SESSION_STARTED("session.started", "session.started", "session started"),
  CONSOLE_MATCH("console.match", "audit.console.match", "console match");

  private final String wireName;
  private final String outboxType;
  private final String headline;

  AlertKind(String wireName, String outboxType, String headline) {
    this.wireName = wireName;
    this.outboxType = outboxType;
    this.headline = headline;
  }

  public String wireName() {
    return wireName;
  }

  /** The words after the device's name in a mail's subject and digest lines. */
  String headline() {
    return headline;
  }

  public static Optional<AlertKind> parse(String wireName) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(wireName)).findFirst();
  }

  /** The alert an outbox event raises, if any. */
  static Optional<AlertKind> ofOutboxType(String type) {
    return Arrays.stream(values()).filter(k -> k.outboxType.equals(type)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(AlertKind::wireName).toList();
  }
}
