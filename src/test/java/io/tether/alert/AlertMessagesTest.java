package io.tether.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text of alert mails: plain, one line per alert, bounded, nothing from a device raw. */
class AlertMessagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

  private static Alert offline(long id, String device) {
    ObjectNode data = JSON.createObjectNode();
    data.putObject("device").put("id", id).put("name", device);
    return new Alert(id, AlertKind.DEVICE_OFFLINE, 1, id, AT, data);
  }

  private static Alert match(long id, String subject, String detail) {
    ObjectNode data = JSON.createObjectNode().put("subject", subject).put("detail", detail);
    return new Alert(id, AlertKind.CONSOLE_MATCH, 1, id, AT, data);
  }

  @Test
  void oneAlertIsOneMailNamingTheDeviceAndLinkingIt() {
    AlertMessages.Mail mail =
        AlertMessages.build(List.of(offline(7, "plc-7")), "https://p.example/");
    assertEquals("[Tether] plc-7: went offline", mail.subject());
    assertTrue(mail.text().startsWith("plc-7: went offline at 2026-12-05 10:00:00 UTC.\n"));
    assertTrue(mail.text().contains("https://p.example/devices/7\n"), mail.text());
    assertTrue(mail.text().contains("https://p.example/account"), "how to stop them");
  }

  @Test
  void aDigestCountsEachKindAndListsEveryAlert() {
    AlertMessages.Mail mail =
        AlertMessages.build(
            List.of(offline(1, "a"), match(2, "b/console", "PANIC"), offline(3, "c")),
            "https://p.example");
    assertEquals("[Tether] 3 alerts: 2 went offline, 1 console match", mail.subject());
    assertTrue(mail.text().contains("b: console match — PANIC"), mail.text());
  }

  @Test
  void aDigestListsAtMostItsBoundAndCountsTheRest() {
    List<Alert> many = new ArrayList<>();
    for (int i = 0; i < AlertMessages.DIGEST_LINES + 5; i++) {
      many.add(offline(i, "d" + i));
    }
    String text = AlertMessages.build(many, "https://p.example").text();
    assertTrue(text.contains("… and 5 more"), text);
    assertFalse(text.contains("d" + AlertMessages.DIGEST_LINES + ":"), "beyond the bound");
  }

  @Test
  void aDevicesLineLosesItsControlCharactersAndIsCut() {
    String line = "\u001b[31mERR\r\n" + "x".repeat(500);
    String text = AlertMessages.build(List.of(match(1, "dev/console", line)), "https://p").text();
    assertFalse(text.contains("\u001b"), "an escape sequence reached the mail");
    assertTrue(text.contains("[31mERR  " + "x".repeat(AlertMessages.DETAIL_CHARS - 9) + "…"), text);
  }
}
