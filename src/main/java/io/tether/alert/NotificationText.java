package io.tether.alert;

import com.fasterxml.jackson.databind.JsonNode;

/** One line saying what a notification is about, from its event's data. */
final class NotificationText {
  private NotificationText() {}

  static String of(String type, JsonNode data) {
    String device = data.path("device").path("name").asText("");
    return switch (type) {
      case "device.offline" -> device + " went offline";
      case "device.flapping" -> device + " is flapping: it keeps dropping and coming back";
      case "console.match" -> {
        String subject = data.path("subject").asText("");
        int slash = subject.indexOf('/');
        String name = slash > 0 ? subject.substring(0, slash) : subject;
        yield name + ": console match — " + AlertMessages.cut(data.path("detail").asText(""));
      }
      case "node.down" -> "A portal node is down" + named(data.path("node"));
      case "portal.restarted" -> "The portal restarted" + named(data.path("node"));
      case "webhook.disabled" ->
          "Webhook "
              + data.path("subject").asText("")
              + " disabled: "
              + AlertMessages.cut(data.path("detail").asText(""));
      default -> type;
    };
  }

  /** ": NAME" when the event names a node (an id, or an object with one). */
  private static String named(JsonNode node) {
    String name =
        node.isTextual() ? node.asText() : node.path("name").asText(node.path("id").asText(""));
    return name.isBlank() ? "" : ": " + name;
  }
}
