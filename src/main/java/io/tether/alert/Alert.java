package io.tether.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One pending alert of a user: what happened, to which device of which group, and its event. */
record Alert(long id, AlertKind kind, long groupId, Long deviceId, Instant at, JsonNode data) {
  /** The device's name as the event carried it (device events and audit entries differ). */
  String deviceName() {
    JsonNode device = data.path("device").path("name");
    if (device.isTextual()) {
      return device.asText();
    }
    String subject = data.path("subject").asText(""); // audit: "device/target"
    int slash = subject.indexOf('/');
    return slash > 0 ? subject.substring(0, slash) : "device " + deviceId;
  }

  /** What the alert adds to its headline: the session's target, the matched line. */
  String detail() {
    return switch (kind) {
      case DEVICE_OFFLINE -> "";
      case SESSION_STARTED ->
          data.path("kind").asText("session") + " on target " + data.path("target").asText("?");
      case CONSOLE_MATCH -> data.path("detail").asText("");
    };
  }
}
