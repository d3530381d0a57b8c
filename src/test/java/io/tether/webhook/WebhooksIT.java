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
import io.tether.testing.PortalProcess;
import io.tether.testing.ScriptedAgent;
import io.tether.testing.Started;
import io.tether.testing.TestDevices;
import io.tether.testing.WebhookReceiver;
import io.tether.web.BrowserDialogue;
import java.net.URI;
import java.net.http.HttpClient;
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
 * ({@code TETHER_WEBHOOK_ALLOW}); retries wait seconds, not minutes; the offline grace is {@value
 * #GRACE_SECONDS} s. Many devices are {@link ScriptedAgent}s (real tunnels, no agent JVM each).
 * 127.0.0.1 is a trusted proxy, so each sign-in comes from its own X-Forwarded-For. The admin page
 * runs in Chromium ({@code frontend/e2e/webhooks.mjs}). The restarts run last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration BROWSER = Duration.ofSeconds(180);

  /**
   * The deployment's offline grace here: long enough for 200 devices to reconnect after a start.
   */
  static final int GRACE_SECONDS = 10;

  /** Simulated devices of the restart. */
  static final int FLEET = 200;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "webhooks",
          Map.of(
              "TETHER_WEBHOOK_ALLOW", "127.0.0.1/32",
              "TETHER_WEBHOOK_RETRY_SCHEDULE", "1s,1s,2s,2s,2s,2s,2s,2s,2s,2s",
              "TETHER_OFFLINE_GRACE", GRACE_SECONDS + "s",
              "TETHER_TRUSTED_PROXIES", "127.0.0.1"));

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

  /** The bodies of the events of {@code type} at {@code path} (about device {@code id}, if set). */
  private static List<JsonNode> events(String path, String type, Long id) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode r : receiver.received(path)) {
      JsonNode b;
      try {
        b = body(r);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      if (type.equals(b.get("type").asText())
          && (id == null || b.at("/data/device/id").asLong() == id)) {
        out.add(b);
      }
    }
    return out;
  }

  /** A device with a token, for a {@link ScriptedAgent}; in {@code group} when not null. */
  private record Simulated(long id, String name, String token) {}

  private static Simulated simulated(String group) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("name", PortalApi.unique("sim"));
    if (group != null) {
      body.put("group", group);
    }
    JsonNode d = portal.admin().post("/api/devices", body);
    return new Simulated(d.get("id").asLong(), d.get("name").asText(), d.get("token").asText());
  }

  private ScriptedAgent connect(Simulated device) {
    ScriptedAgent agent =
        ScriptedAgent.connect(
                HTTP, URI.create(portal.tunnelUrl()), device.token(), device.name(), "echo")
            .join();
    agent.welcome().join();
    started.add(() -> agent.abort());
    return agent;
  }

  private static boolean online(long id) {
    return portal.admin().get("/api/devices/" + id).get("online").asBoolean();
  }

  private static void awaitOnline(long id, boolean online) {
    Await.until(
        "device " + id + (online ? " online" : " offline"), WAIT, () -> online(id) == online);
  }

  private static String group(Integer graceSeconds) {
    String name = PortalApi.unique("group");
    JsonNode g = portal.admin().post("/api/groups", Map.of("name", name));
    if (graceSeconds != null) {
      PortalApi.expect(
          200,
          portal
              .admin()
              .request(
                  "PATCH",
                  "/api/groups/" + g.get("id").asLong(),
                  Map.of("offlineGraceSeconds", graceSeconds)),
          "the group's grace");
    }
    return name;
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
    endpoint(
        path,
        List.of(
            "device.online",
            "device.offline",
            "device.target-status",
            "session.started",
            "session.ended"));
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

    device.pty().close(); // the serial port is unplugged: the agent reports it missing
    JsonNode missing = await(path, "device.target-status");
    assertVerified(missing);
    JsonNode missingBody = body(missing);
    assertEquals("console", missingBody.at("/data/target").asText(), missingBody.toString());
    assertEquals("missing", missingBody.at("/data/status").asText(), missingBody.toString());
    assertEquals("ok", missingBody.at("/data/previous").asText(), missingBody.toString());

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
  @Order(6)
  void aDeviceBackWithinTheGraceRaisesNoOfflineAndOneAwayPastItsGroupsGraceRaisesExactlyOne()
      throws Exception {
    String path = "/grace";
    endpoint(path, List.of("device.online", "device.offline"));
    Simulated back = simulated(null); // the deployment's grace
    Simulated away = simulated(group(2)); // its group's own grace: 2 s
    ScriptedAgent backAgent = connect(back);
    ScriptedAgent awayAgent = connect(away);
    await(path, "device.online");
    Await.until(
        "both online",
        WAIT,
        () ->
            !events(path, "device.online", back.id()).isEmpty()
                && !events(path, "device.online", away.id()).isEmpty());

    long dropped = System.nanoTime();
    backAgent.abort();
    awayAgent.abort();
    awaitOnline(back.id(), false);
    connect(back);
    awaitOnline(back.id(), true);
    assertTrue(
        System.nanoTime() - dropped < Duration.ofSeconds(GRACE_SECONDS).toNanos(),
        "the device was back within the grace");

    JsonNode offline = await(path, "device.offline");
    assertVerified(offline);
    assertEquals(away.id(), body(offline).at("/data/device/id").asLong(), body(offline).toString());
    // past the deployment's grace (and two dispatcher ticks): the device back raised nothing
    long pastGrace = dropped + Duration.ofSeconds(GRACE_SECONDS + 2).toNanos();
    Thread.sleep(Math.max(0, (pastGrace - System.nanoTime()) / 1_000_000));
    assertEquals(
        List.of(), events(path, "device.offline", back.id()), "no offline for the one back");
    assertEquals(1, events(path, "device.online", back.id()).size(), "and no second online");
    assertEquals(1, events(path, "device.offline", away.id()).size(), "exactly one offline");
  }

  @Test
  @Order(7)
  void moreThanFiveDropsWithinAnHourRaiseExactlyOneFlapping() throws Exception {
    String path = "/flapping";
    long id = endpoint(path, List.of("device.flapping")).get("id").asLong();
    Simulated device = simulated(null);
    for (int drop = 1; drop <= 7; drop++) {
      ScriptedAgent agent = connect(device);
      awaitOnline(device.id(), true);
      agent.abort();
      awaitOnline(device.id(), false);
    }
    JsonNode flapping = await(path, "device.flapping");
    assertVerified(flapping);
    JsonNode data = body(flapping).get("data");
    assertEquals(6, data.get("drops").asInt(), data.toString());
    assertEquals(device.id(), data.at("/device/id").asLong());
    // every drop was written before the last offline showed; two fan-out ticks for a second one
    Thread.sleep(2 * WebhookDispatcher.POLL.toMillis());
    assertEquals(1, deliveries(id).size(), "one device.flapping: " + deliveries(id));
  }

  @Test
  @Order(8)
  void twentyFailedSignInsForOneAccountRaiseOneBurstEvent() throws Exception {
    String path = "/burst";
    long id = endpoint(path, List.of("auth.login-failed-burst")).get("id").asLong();
    String account = PortalApi.unique("victim");
    for (int i = 0; i < 25; i++) { // one address each: only the account's count reaches 20
      int status =
          PortalApi.send(
                  portal.baseUrl(),
                  "POST",
                  "/api/auth/login",
                  Map.of("username", account, "password", "wrong"),
                  Map.of("X-Forwarded-For", PortalApi.randomAddress()))
              .statusCode();
      assertEquals(401, status, "sign-in " + i);
    }
    JsonNode burst = await(path, "auth.login-failed-burst");
    assertVerified(burst);
    JsonNode data = body(burst).get("data");
    assertEquals(account, data.get("account").asText(), data.toString());
    assertEquals(20, data.get("failures").asInt(), data.toString());
    Thread.sleep(2 * WebhookDispatcher.POLL.toMillis());
    assertEquals(1, deliveries(id).size(), "one event per burst: " + deliveries(id));
  }

  @Test
  @Order(9)
  void anAdminCreatesAnEndpointOnThePageSeesTheDeliveryAndRedeliversIt() {
    String path = "/from-the-page";
    Map<String, BrowserDialogue.Handler> handlers =
        Map.of(
            "createDevice",
            r -> {
              receiver.secrets(List.of(r.get("secret").asText()));
              newDevice();
              return null;
            },
            "awaitRedelivered",
            r -> {
              Await.until("the redelivery", WAIT, () -> receiver.received(path).size() == 2);
              return null;
            });
    BrowserDialogue.run(
        "webhooks.mjs",
        "page",
        Map.of(
            "TETHER_URL", portal.baseUrl(),
            "ADMIN_PASSWORD", PortalProcess.ADMIN_PASSWORD,
            "WEBHOOK_URL", receiver.url(path)),
        handlers,
        BROWSER);
    List<JsonNode> got = receiver.received(path);
    for (JsonNode r : got) {
      assertEquals("[0]", r.get("verified").toString(), "signed with the secret the page showed");
    }
    assertEquals(got.get(0).get("id"), got.get(1).get("id"), "a redelivery keeps its webhook-id");
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

  /**
   * The endpoints of the tests before take device.created and device.online: 200 devices would
   * queue hundreds of deliveries to them ahead of this test's (a node sends a few per second).
   */
  private static void deleteEveryEndpoint() {
    for (JsonNode w : portal.admin().get("/api/webhooks").get("items")) {
      PortalApi.expect(
          204,
          portal.admin().request("DELETE", "/api/webhooks/" + w.get("id").asLong(), null),
          "delete webhook");
    }
  }

  @Test
  @Order(100)
  void aRestartWithTwoHundredDevicesRaisesOnePortalRestartedAndListsOnlyTheOneNotBack()
      throws Exception {
    deleteEveryEndpoint();
    String fleetGroup = group(null);
    List<Simulated> fleet = new ArrayList<>();
    for (int i = 0; i < FLEET; i++) {
      fleet.add(simulated(fleetGroup));
    }
    Simulated gone = simulated(group(null));
    fleet.forEach(this::connect);
    connect(gone);
    Await.until(
        FLEET + " devices online",
        WAIT,
        () ->
            portal
                    .admin()
                    .get("/api/devices?group=" + fleetGroup + "&online=true&limit=" + FLEET)
                    .get("items")
                    .size()
                == FLEET);
    awaitOnline(gone.id(), true);
    // their device.online are fanned out to nobody first (not a backlog ahead of what follows);
    // any that still arrive are from before the stop, which the assertions tell apart by "at"
    Thread.sleep(2 * WebhookDispatcher.POLL.toMillis());
    String path = "/restart";
    endpoint(
        path,
        List.of("portal.restarted", "device.offline", "device.online", "node.devices-missing"));

    java.time.Instant stopped = java.time.Instant.now();
    portal.process().stop();
    started.close(); // the tunnels the portal closed
    portal.process().start();
    portal.signInAgain();
    long start = System.nanoTime();
    List<java.util.concurrent.CompletableFuture<ScriptedAgent>> back = new ArrayList<>();
    for (Simulated d : fleet) {
      back.add(
          ScriptedAgent.connect(HTTP, URI.create(portal.tunnelUrl()), d.token(), d.name(), "echo")
              .thenCompose(a -> a.welcome().thenApply(w -> a)));
    }
    for (java.util.concurrent.CompletableFuture<ScriptedAgent> f : back) {
      ScriptedAgent agent = f.join();
      started.add(agent::abort);
    }
    long reconnected = (System.nanoTime() - start) / 1_000_000;

    JsonNode missing = await(path, "node.devices-missing");
    assertVerified(missing);
    JsonNode data = body(missing).get("data");
    assertEquals("restart", data.get("cause").asText(), data.toString());
    assertEquals(
        1, data.get("count").asInt(), "only the device not back (" + reconnected + " ms): " + data);
    assertEquals(gone.id(), data.at("/devices/0/id").asLong(), data.toString());
    Thread.sleep(2 * WebhookDispatcher.POLL.toMillis());
    assertEquals(1, events(path, "node.devices-missing", null).size(), "one report");
    List<JsonNode> restarted = events(path, "portal.restarted", null);
    assertEquals(1, restarted.size(), "one portal.restarted: " + restarted);
    assertEquals(
        FLEET + 1,
        restarted.get(0).at("/data/devicesAway").asInt(),
        "the start knew what the node held");
    assertEquals(List.of(), events(path, "device.offline", null), "no device.offline at all");
    List<JsonNode> onlineAfter =
        events(path, "device.online", null).stream()
            .filter(e -> java.time.Instant.parse(e.at("/data/at").asText()).isAfter(stopped))
            .toList();
    assertEquals(List.of(), onlineAfter, "devices back within the grace raise no device.online");
  }
}
