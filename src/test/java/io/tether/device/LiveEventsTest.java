package io.tether.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.consolelog.ConsoleRuleBook;
import io.tether.consolelog.LogLine;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import io.tether.testing.EventStream;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/events carries sessions, refusals and console matches, each only to those who may see
 * its device: a viewer of one group never hears of another group's sessions or refusals, a
 * non-admin hears only of their own refusals, and a moved device's events follow it to its new
 * group.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class LiveEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TestHTTPResource("/")
  URL base;

  @Inject Event<SessionChanged> news;
  @Inject AuditLog audit;
  @Inject ConsoleRuleBook consoleRules;

  private final List<EventStream> opened = new ArrayList<>();
  private ApiClient admin;
  private ApiClient.NewDevice deviceA;
  private ApiClient.NewDevice deviceB;
  private ApiClient.NewDevice everyones;
  private ApiClient userA;
  private ApiClient userB;
  private EventStream streamA;
  private EventStream streamB;
  private EventStream streamAdmin;
  private long nextSession = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);

  /** Subjects of this test's refusals start with it: other tests audit refusals too. */
  private final String tag = ApiClient.unique("refused") + "-";

  /** Group A's viewer and group B's viewer, each also a viewer of a group both see. */
  @BeforeEach
  void twoGroups() {
    admin = ApiClient.admin();
    String groupA = admin.createGroup();
    String groupB = admin.createGroup();
    String shared = admin.createGroup();
    deviceA = admin.createDevice(groupA);
    deviceB = admin.createDevice(groupB);
    everyones = admin.createDevice(shared);
    userA = viewer(groupA, shared);
    userB = viewer(groupB, shared);
    streamA = open(userA);
    streamB = open(userB);
    streamAdmin = open(admin);
    awaitEveryStreamHears(); // every stream is subscribed before the test's events
  }

  @AfterEach
  void closeStreams() {
    opened.forEach(EventStream::close);
  }

  @Test
  void aSessionReachesOnlyThoseWhoMaySeeItsDevice() throws Exception {
    long onA = session(deviceA, true, "alice");
    long onB = session(deviceB, true, "bob");
    awaitEveryStreamHears();

    assertEquals(List.of(onA), sessionIds(streamA), "group A's viewer");
    assertEquals(List.of(onB), sessionIds(streamB), "group B's viewer");
    assertEquals(List.of(onA, onB), sessionIds(streamAdmin), "the admin");
    JsonNode event =
        events(streamA, "session").stream().filter(e -> isSession(e, onA)).findFirst().get();
    assertEquals(
        JSON.readTree(
            "{\"type\":\"session\",\"id\":"
                + onA
                + ",\"device\":{\"id\":"
                + deviceA.id()
                + ",\"name\":\""
                + deviceA.name()
                + "\"},\"target\":\"console\",\"kind\":\"terminal\",\"state\":\"live\","
                + "\"controller\":\"alice\",\"people\":1}"),
        event);
  }

  @Test
  void aRefusalReachesItsActorOnlyWhenTheyMaySeeItsDeviceAndEveryAdmin() {
    refusal(userA, deviceA.id(), "a-on-a");
    refusal(userB, deviceA.id(), "b-on-a"); // B's own entry, but about a device B may not see
    refusal(userA, null, "a-on-nothing");
    refusal(userB, deviceB.id(), "b-on-b");
    awaitEveryStreamHears();

    assertEquals(List.of("a-on-a", "a-on-nothing"), refusals(streamA), "group A's viewer");
    assertEquals(List.of("b-on-b"), refusals(streamB), "group B's viewer");
    assertEquals(
        List.of("a-on-a", "b-on-a", "a-on-nothing", "b-on-b"), refusals(streamAdmin), "the admin");
  }

  @Test
  void aConsoleMatchReachesOnlyThoseWhoMaySeeItsDevice() throws Exception {
    ApiClient.expect(
        201,
        admin
            .cookie()
            .body(Map.of("name", "panic", "pattern", "Kernel panic", "severity", "critical"))
            .post("/api/groups/" + deviceA.group() + "/console-rules"),
        "POST a console rule");
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    consoleRules.scan(
        Long.parseLong(deviceA.id()), "console", List.of(new LogLine(at, "Kernel panic - VFS")));
    awaitEveryStreamHears();

    assertEquals(1, events(streamA, "console-match").size(), "group A's viewer");
    assertEquals(List.of(), events(streamB, "console-match"), "group B's viewer");
    assertEquals(
        JSON.readTree(
            "{\"type\":\"console-match\",\"deviceId\":"
                + deviceA.id()
                + ",\"consoleMatch\":{\"rule\":\"panic\",\"severity\":\"critical\","
                + "\"target\":\"console\",\"line\":\"Kernel panic - VFS\",\"at\":\""
                + at
                + "\"}}"),
        events(streamAdmin, "console-match").get(0));
  }

  @Test
  void aMovedDevicesSessionsFollowItToItsNewGroup() {
    String groupB = deviceB.group();
    ApiClient.expect(
        200,
        admin.cookie().body(Map.of("group", groupB)).patch("/api/devices/" + deviceA.id()),
        "PATCH the device into group B");
    long after = session(deviceA, false, null);
    awaitEveryStreamHears();

    assertEquals(List.of(), sessionIds(streamA), "group A's viewer after the device left A");
    assertEquals(List.of(after), sessionIds(streamB), "group B's viewer");
  }

  // --- helpers ---

  private ApiClient viewer(String... groups) {
    ApiClient.NewUser user = admin.createUser();
    for (String group : groups) {
      admin.grant(user.id(), group, "viewer");
    }
    return ApiClient.signIn(user);
  }

  private EventStream open(ApiClient user) {
    String url = base.toString().replaceAll("/$", "");
    EventStream stream = EventStream.open(url, ApiClient.COOKIE + "=" + user.sessionCookie());
    opened.add(stream);
    return stream;
  }

  private long session(ApiClient.NewDevice device, boolean live, String controller) {
    long id = nextSession++;
    news.fire(
        new SessionChanged(
            id,
            Long.parseLong(device.id()),
            device.name(),
            "console",
            "terminal",
            live,
            controller,
            controller == null ? 0 : 1));
    return id;
  }

  private void refusal(ApiClient actor, String deviceId, String subject) {
    audit.recordAlone(
        Audit.by(actor.username(), Long.parseLong(actor.userId()), actor.address())
            .action("session.refused")
            .outcome(Audit.DENIED)
            .subject(tag + subject)
            .device(deviceId == null ? null : Long.parseLong(deviceId)));
  }

  /**
   * Sends a session event about the device every stream may see until each has it: whatever was
   * published before reached every stream by then (one publisher, in order).
   */
  private void awaitEveryStreamHears() {
    long marker = session(everyones, false, null);
    ApiClient.eventually(
        "every stream hears session " + marker,
        WAIT,
        () ->
            List.of(streamA, streamB, streamAdmin).stream()
                .allMatch(s -> events(s, "session").stream().anyMatch(e -> isSession(e, marker))));
  }

  private static String deviceName(JsonNode session) {
    return session.path("device").path("name").asText();
  }

  private static boolean isSession(JsonNode e, long id) {
    return e.get("id").asLong() == id;
  }

  /** The events of {@code type} so far, without the markers. */
  private List<JsonNode> events(EventStream stream, String type) {
    List<JsonNode> found = new ArrayList<>();
    for (String data : stream.data()) {
      try {
        JsonNode e = JSON.readTree(data);
        if (type.equals(e.path("type").asText())) {
          found.add(e);
        }
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + data, e);
      }
    }
    return found;
  }

  private List<Long> sessionIds(EventStream stream) {
    return events(stream, "session").stream()
        .filter(e -> List.of(deviceA.name(), deviceB.name()).contains(deviceName(e)))
        .map(e -> e.get("id").asLong())
        .toList();
  }

  private List<String> refusals(EventStream stream) {
    return events(stream, "refusal").stream()
        .map(e -> e.get("subject").asText())
        .filter(s -> s.startsWith(tag))
        .map(s -> s.substring(tag.length()))
        .toList();
  }
}
