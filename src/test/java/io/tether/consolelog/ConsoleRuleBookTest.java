package io.tether.consolelog;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * scan() against the real database: a match is audited as console.match and shown on the device,
 * the cool-down holds back the rest, and rule changes apply at the next scan.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleRuleBookTest {
  @Inject ConsoleRuleBook book;

  private ApiClient admin;
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @BeforeEach
  void signIn() {
    admin = ApiClient.admin(); // the app is up by now, not yet when the instance is made
  }

  private static String rules(String group) {
    return "/api/groups/" + group + "/console-rules";
  }

  private JsonPath addRule(String group, Map<String, ?> body) {
    return expect(201, admin.cookie().body(body).post(rules(group)), "POST " + rules(group) + body)
        .jsonPath();
  }

  private JsonPath device(ApiClient.NewDevice device) {
    return expect(200, admin.cookie().get("/api/devices/" + device.id()), "GET the device")
        .jsonPath();
  }

  private List<Map<String, Object>> matches(ApiClient.NewDevice device) {
    return admin.audit(Map.of("action", "console.match", "device", device.id()));
  }

  private LogLine line(int seconds, String text) {
    return new LogLine(t0.plusSeconds(seconds), text);
  }

  @Test
  void aMatchRaisesOneAuditEntryAndTheDeviceBadgeAndTheCooldownHoldsBackTheRest() {
    String group = admin.createGroup();
    ApiClient.NewDevice gw = admin.createDevice(group);
    addRule(
        group, Map.of("name", "kernel panic", "pattern", "Kernel panic", "severity", "critical"));
    long id = Long.parseLong(gw.id());

    book.scan(id, "console", List.of(line(0, "booting"), line(1, "Kernel panic - not syncing")));
    book.scan(id, "console", List.of(line(2, "Kernel panic again"), line(3, "Kernel panic")));

    List<Map<String, Object>> entries = matches(gw);
    assertEquals(1, entries.size(), "console.match entries: " + entries);
    Map<String, Object> entry = entries.get(0);
    assertEquals(gw.name() + "/console", entry.get("subject"));
    assertEquals("device:" + gw.name(), entry.get("actor"));
    assertEquals(
        "rule 'kernel panic' (critical) on console at "
            + t0.plusSeconds(1)
            + ": Kernel panic - not syncing",
        entry.get("detail"));
    JsonPath view = device(gw);
    assertEquals("kernel panic", view.getString("consoleMatch.rule"));
    assertEquals("critical", view.getString("consoleMatch.severity"));
    assertEquals("console", view.getString("consoleMatch.target"));
    assertEquals("Kernel panic - not syncing", view.getString("consoleMatch.line"));
    assertEquals(t0.plusSeconds(1), Instant.parse(view.getString("consoleMatch.at")));
  }

  @Test
  void aDeviceWithoutAMatchShowsNoConsoleMatch() {
    String group = admin.createGroup();
    ApiClient.NewDevice gw = admin.createDevice(group);
    addRule(group, Map.of("name", "panic", "pattern", "panic"));
    book.scan(Long.parseLong(gw.id()), "console", List.of(line(0, "all is well")));
    JsonPath view = device(gw);
    assertTrue(view.getMap("").containsKey("consoleMatch"), "the view names consoleMatch");
    assertNull(view.get("consoleMatch"));
    assertEquals(List.of(), matches(gw));
  }

  @Test
  void aRuleAddedOrDeletedOnThisNodeAppliesAtTheNextScan() {
    String group = admin.createGroup();
    ApiClient.NewDevice gw = admin.createDevice(group);
    long id = Long.parseLong(gw.id());
    book.scan(id, "console", List.of(line(0, "Oops: 0000"))); // caches "no rules"
    JsonPath rule =
        addRule(group, Map.of("name", "oops", "pattern", "^Oops", "cooldownSeconds", 0));
    book.scan(id, "console", List.of(line(1, "Oops: 0001")));
    assertEquals(1, matches(gw).size(), "raised by the new rule");
    expect(204, admin.cookie().delete(rules(group) + "/" + rule.getLong("id")), "DELETE the rule");
    book.scan(id, "console", List.of(line(2, "Oops: 0002")));
    assertEquals(1, matches(gw).size(), "nothing raised once the rule is deleted");
  }

  @Test
  void aLongLineIsCutInTheAuditEntryAndOnTheBadge() {
    String group = admin.createGroup();
    ApiClient.NewDevice gw = admin.createDevice(group);
    addRule(group, Map.of("name", "bug", "pattern", "BUG"));
    String text = "BUG: " + "x".repeat(500);
    book.scan(Long.parseLong(gw.id()), "console", List.of(line(0, text)));
    assertEquals(text.substring(0, 200), device(gw).getString("consoleMatch.line"));
    String detail = String.valueOf(matches(gw).get(0).get("detail"));
    assertTrue(detail.endsWith(": " + text.substring(0, 200) + "…"), detail);
  }

  @Test
  void aNewRuleDefaultsToWarningAndAFiveMinuteCooldown() {
    String group = admin.createGroup();
    JsonPath rule = addRule(group, Map.of("name", "panic", "pattern", "panic"));
    assertEquals("warning", rule.getString("severity"));
    assertEquals(300, rule.getInt("cooldownSeconds"));
    JsonPath listed = expect(200, admin.cookie().get(rules(group)), "GET the rules").jsonPath();
    assertEquals(List.of("panic"), listed.getList("items.name"));
  }

  @Test
  void aGroupHoldsAtMost100RulesAndNoTwoOfOneName() {
    String group = admin.createGroup();
    for (int i = 0; i < ConsoleRuleApi.MAX_RULES_PER_GROUP; i++) {
      addRule(group, Map.of("name", "rule " + i, "pattern", "error " + i));
    }
    expectProblem(
        409,
        "name",
        admin.cookie().body(Map.of("name", "one more", "pattern", "x")).post(rules(group)),
        "the 101st rule");
    String other = admin.createGroup();
    addRule(other, Map.of("name", "twice", "pattern", "x"));
    expectProblem(
        409,
        "name",
        admin.cookie().body(Map.of("name", "twice", "pattern", "y")).post(rules(other)),
        "a second rule named twice");
  }

  @Test
  void aPatternTooLargeOnceExpandedIsRefusedNamingPattern() {
    String group = admin.createGroup();
    expectProblem(
        400,
        "pattern",
        admin.cookie().body(Map.of("name", "big", "pattern", "(a{1000}){1000}")).post(rules(group)),
        "an expanding pattern");
    expectProblem(
        404,
        null,
        admin.cookie().body(Map.of("name", "x", "pattern", "x")).post(rules("no-such-group")),
        "an unknown group");
  }
}
