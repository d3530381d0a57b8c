package io.tether.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.session.TerminalClient;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.Started;
import io.tether.testing.TestDevices;
import io.tether.testing.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signed webhooks end to end: the packaged portal sends to a Node.js receiver on loopback that
 * verifies each request with the {@code standardwebhooks} package (an implementation independent of
 * ours) and answers as scripted. Loopback is refused by default, so this portal allows 127.0.0.1
 * ({@code TETHER_WEBHOOK_ALLOW}); retries wait seconds, not minutes. The restart runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "webhooks",
          Map.of(
              "TETHER_WEBHOOK_ALLOW", "127.0.0.1/32",
              "TETHER_WEBHOOK_RETRY_SCHEDULE", "1s,1s,2s,2s,2s,2s,2s,2s,2s,2s"));

  @RegisterExtension static final WebhookReceiver receiver = WebhookReceiver.forClass();
  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  /** An endpoint for {@code events} at {@code path}; the receiver verifies with its secret. */
  private static JsonNode endpoint(String path, List<String> events) {
    JsonNode created =
        PortalApi.expect(
            201,
            portal
                .admin()
                .request(
                    "POST", "/api/webhooks", Map.of("url", receiver.url(path), "events", events)),
            "create webhook");
    receiver.secrets(List.of(created.get("secret").asText()));
    return created;
  }

  private static JsonNode await(String path, String type) {
    List<JsonNode> found = new ArrayList<>();
    Await.until(
        type + " at " + path,
        WAIT,
        () -> {
          found.clear();
          receiver.received(path).stream()
              .filter(r -> type.equals(r.get("type").asText()))
              .forEach(found::add);
          return !found.isEmpty();
        });
    return found.get(0);
  }

  private static JsonNode body(JsonNode request) throws Exception {
    return JSON.readTree(request.get("body").asText());
  }

  private static void assertVerified(JsonNode request) {
    assertEquals("[0]", request.get("verified").toString(), request.toPrettyString());
  }

  private static JsonNode deliveries(long webhook) {
    return portal.admin().get("/api/webhooks/" + webhook + "/deliveries").get("items");
  }

  private static long newDevice() {
    return portal
        .admin()
        .post("/api/devices", Map.of("name", PortalApi.unique("dev")))
        .get("id")
        .asLong();
  }

  @Test
  @Order(1)
  void deviceAndSessionEventsArriveSignedWithTheDocumentedPayloads() throws Exception {
    String path = "/events";
    endpoint(path, List.of("device.online", "device.offline", "session.started", "session.ended"));
    TestDevices.Device device =
        TestDevices.serial(portal.process(), portal.admin(), null, started::add);
    JsonNode online = await(path, "device.online");
    assertVerified(online);
    JsonNode onlineBody = body(online);
    assertEquals(device.id(), onlineBody.at("/data/device/id").asLong(), onlineBody.toString());
    assertTrue(onlineBody.has("timestamp"), onlineBody.toString());
    long sequence = onlineBody.at("/data/sequence").asLong();

    try (TerminalClient terminal =
        TerminalClient.terminal(portal.baseUrl(), portal.admin(), device.id(), "console")) {
      terminal.awaitLive();
      terminal.type("hello\r".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      JsonNode startedEvent = body(await(path, "session.started"));
      assertEquals("console", startedEvent.at("/data/target").asText(), startedEvent.toString());
    }
    JsonNode ended = await(path, "session.ended");
    assertVerified(ended);
    JsonNode endedBody = body(ended);
    for (String field : List.of("reason", "bytesIn", "bytesOut", "durationMs", "startedAt")) {
      assertTrue(endedBody.get("data").has(field), field + " in " + endedBody);
    }
    assertTrue(endedBody.at("/data/sequence").asLong() > sequence, "the device's sequence grows");

    device.agent().close();
    JsonNode offline = await(path, "device.offline");
    assertVerified(offline);
    assertEquals(device.id(), body(offline).at("/data/device/id").asLong());
  }

  @Test
  @Order(2)
  void answeredFiveHundredTwiceThenOkItIsDeliveredOnTheThirdTryAndEveryAttemptIsLogged()
      throws Exception {
    String path = "/flaky";
    receiver.script(path, List.of(500, 500, 200), Map.of());
    long id = endpoint(path, List.of("device.created")).get("id").asLong();
    newDevice();
    Await.until(
        "the delivery delivered",
        WAIT,
        () ->
            deliveries(id).size() == 1
                && "delivered".equals(deliveries(id).get(0).get("state").asText()));
    JsonNode delivery = deliveries(id).get(0);
    List<Integer> statuses =
        StreamSupport.stream(delivery.get("attempts").spliterator(), false)
            .map(a -> a.get("status").asInt())
            .toList();
    assertEquals(List.of(500, 500, 200), statuses, delivery.toPrettyString());
    assertTrue(
        delivery.at("/attempts/0/response").asText().contains("scripted 500"),
        "a failed attempt keeps the answer's text: " + delivery);
    List<JsonNode> got = receiver.received(path);
    assertEquals(3, got.size());
    assertEquals(
        1, got.stream().map(r -> r.get("id").asText()).distinct().count(), "one webhook-id");

    // redeliver: sent again now, with the same webhook-id (receivers deduplicate on it)
    PortalApi.expect(
        202,
        portal
            .admin()
            .request(
                "POST",
                "/api/webhooks/" + id + "/deliveries/" + delivery.get("id").asLong() + "/redeliver",
                null),
        "redeliver");
    Await.until("the redelivery", WAIT, () -> receiver.received(path).size() == 4);
    assertEquals(got.get(0).get("id"), receiver.received(path).get(3).get("id"));
  }

  @Test
  @Order(3)
  void answeredGoneTheEndpointIsDisabled() {
    String path = "/gone";
    receiver.script(path, List.of(410), Map.of());
    long id = endpoint(path, List.of("device.created")).get("id").asLong();
    newDevice();
    Await.until(
        "the endpoint disabled",
        WAIT,
        () ->
            StreamSupport.stream(
                    portal.admin().get("/api/webhooks").get("items").spliterator(), false)
                .anyMatch(w -> w.get("id").asLong() == id && !w.get("enabled").asBoolean()));
    assertEquals("failed", deliveries(id).get(0).get("state").asText());
    JsonNode audit = portal.admin().get("/api/audit?action=webhook.disable");
    assertTrue(audit.toString().contains(receiver.url(path)), audit.toPrettyString());
  }

  @Test
  @Order(4)
  void duringARotationBothSecretsVerify() {
    String path = "/rotated";
    JsonNode created = endpoint(path, List.of("device.created"));
    String old = created.get("secret").asText();
    JsonNode rotated =
        PortalApi.expect(
            200,
            portal
                .admin()
                .request(
                    "POST", "/api/webhooks/" + created.get("id").asLong() + "/rotate-secret", null),
            "rotate");
    receiver.secrets(List.of(old, rotated.get("secret").asText()));
    newDevice();
    JsonNode got = await(path, "device.created");
    assertEquals("[0,1]", got.get("verified").toString(), got.toPrettyString());
    assertEquals(2, got.get("signature").asText().split(" ").length, got.toPrettyString());
  }

  @Test
  @Order(5)
  void aRedirectIsNotFollowed() {
    String path = "/redirect";
    receiver.script(path, List.of(302), Map.of("Location", "/followed"));
    long id = endpoint(path, List.of("device.created")).get("id").asLong();
    newDevice();
    Await.until(
        "an attempt",
        WAIT,
        () -> deliveries(id).size() == 1 && deliveries(id).get(0).get("attempts").size() >= 1);
    JsonNode attempt = deliveries(id).get(0).at("/attempts/0");
    assertEquals(302, attempt.get("status").asInt(), attempt.toString());
    assertTrue(attempt.get("error").asText().contains("redirect"), attempt.toString());
    assertTrue(receiver.received("/followed").isEmpty(), "nothing reached the redirect's target");
  }

  @Test
  @Order(99)
  void aDeliveryQueuedWhileTheReceiverIsDownArrivesAfterAPortalRestart() {
    String path = "/later";
    long id = endpoint(path, List.of("device.created")).get("id").asLong();
    receiver.down();
    newDevice();
    Await.until(
        "a failed attempt",
        WAIT,
        () -> deliveries(id).size() == 1 && deliveries(id).get(0).get("attempts").size() >= 1);
    assertFalse(deliveries(id).get(0).at("/attempts/0/error").isNull());
    portal.process().stop();
    receiver.up();
    portal.process().start();
    portal.signInAgain();
    await(path, "device.created");
    Await.until(
        "delivered after the restart",
        WAIT,
        () -> "delivered".equals(deliveries(id).get(0).get("state").asText()));
  }
}
