package io.tether.device;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * GET /api/devices filters by name, tag, group and presence, sorts by name, status or last seen
 * across every page, and pages with a cursor.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class DeviceListTest {

  private static JsonPath list(ApiClient client, Map<String, ?> query) {
    RequestSpecification spec = client.cookie();
    query.forEach(spec::queryParam);
    return expect(200, spec.get("/api/devices"), "GET /api/devices " + query).jsonPath();
  }

  private static Set<String> names(ApiClient client, Map<String, ?> query) {
    return Set.copyOf(list(client, query).getList("items.name", String.class));
  }

  @Test
  void filtersByName() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice wanted = admin.createDevice(null);
    admin.createDevice(null);
    assertEquals(Set.of(wanted.name()), names(admin, Map.of("name", wanted.name())), "?name=");
  }

  @Test
  void filtersByTag() {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    String tag = ApiClient.unique("tag");
    ApiClient.NewDevice tagged = admin.createDevice(group, List.of(tag, "common"));
    admin.createDevice(group, List.of("common"));
    assertEquals(Set.of(tagged.name()), names(admin, Map.of("tag", tag)), "?tag=");
  }

  @Test
  void filtersByGroup() {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    ApiClient.NewDevice one = admin.createDevice(group);
    ApiClient.NewDevice two = admin.createDevice(group);
    admin.createDevice(null);
    assertEquals(Set.of(one.name(), two.name()), names(admin, Map.of("group", group)), "?group=");
  }

  @Test
  void filtersByPresence() {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    ApiClient.NewDevice offline = admin.createDevice(group);
    assertEquals(
        Set.of(offline.name()),
        names(admin, Map.of("group", group, "online", false)),
        "?online=false");
    assertEquals(Set.of(), names(admin, Map.of("group", group, "online", true)), "?online=true");
  }

  @Test
  void limitOneGivesACursorThatWalksEveryDeviceOnce() {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    Set<String> created =
        Set.of(
            admin.createDevice(group).name(),
            admin.createDevice(group).name(),
            admin.createDevice(group).name());
    List<String> seen = new ArrayList<>();
    String cursor = null;
    for (int page = 1; page <= created.size() + 1; page++) {
      Map<String, Object> query = new java.util.HashMap<>(Map.of("group", group, "limit", 1));
      if (cursor != null) {
        query.put("cursor", cursor);
      }
      JsonPath j = list(admin, query);
      List<String> items = j.getList("items.name", String.class);
      assertEquals(1, items.size(), "page " + page + " with limit=1 has " + items);
      seen.add(items.get(0));
      cursor = j.getString("next");
      if (seen.size() < created.size()) {
        assertNotNull(cursor, "page " + page + " of " + created.size() + " has no next");
      } else {
        break;
      }
    }
    assertEquals(created, Set.copyOf(seen), "the pages (in order " + seen + ")");
    assertEquals(created.size(), seen.size(), "a device appeared on two pages: " + seen);
    if (cursor != null) {
      Map<String, Object> last = Map.of("group", group, "limit", 1, "cursor", cursor);
      assertTrue(
          list(admin, last).getList("items").isEmpty(),
          "a page after the last device is not empty");
    }
  }

  @Test
  void limit200IsAllowed() {
    list(ApiClient.admin(), Map.of("limit", 200));
  }

  @Test
  void limitAbove200Is400NamingLimit() {
    expectProblem(
        400,
        "limit",
        ApiClient.admin().cookie().queryParam("limit", 500).get("/api/devices"),
        "GET /api/devices?limit=500");
  }

  @Test
  void limitZeroIs400NamingLimit() {
    expectProblem(
        400,
        "limit",
        ApiClient.admin().cookie().queryParam("limit", 0).get("/api/devices"),
        "GET /api/devices?limit=0");
  }

  // --- sorting across pages ---

  /** Five devices of one group: online, offline seen 5 min and 1 h ago, and two never seen. */
  private record Fleet(String group, String prefix) {
    String name(String suffix) {
      return prefix + suffix;
    }
  }

  private static Fleet fleet(ApiClient admin) {
    String group = admin.createGroup();
    String prefix = ApiClient.unique("sort") + "-";
    Instant now = Instant.now();
    // created in an order that is none of the sorted ones (the list without sort is by id)
    device(admin, group, prefix + "c", true, now.minus(Duration.ofMinutes(1)));
    device(admin, group, prefix + "e", false, null);
    device(admin, group, prefix + "B", false, now.minus(Duration.ofHours(1)));
    device(admin, group, prefix + "a", false, null);
    device(admin, group, prefix + "D", false, now.minus(Duration.ofMinutes(5)));
    return new Fleet(group, prefix);
  }

  /** A device whose presence is set in the database, as the tunnel would leave it. */
  private static void device(
      ApiClient admin, String group, String name, boolean online, Instant lastSeen) {
    long id =
        expect(
                201,
                admin.cookie().body(Map.of("name", name, "group", group)).post("/api/devices"),
                "POST /api/devices " + name)
            .jsonPath()
            .getLong("id");
    QuarkusTransaction.requiringNew()
        .run(() -> Device.update("online = ?1, lastSeen = ?2 where id = ?3", online, lastSeen, id));
  }

  /**
   * Every page of the group's list in {@code sort}, {@code limit} at a time: the names in order.
   */
  private static List<String> walk(ApiClient client, Fleet fleet, String sort, int limit) {
    return walk(client, fleet, sort, limit, Map.of());
  }

  /** The same with more filters. */
  private static List<String> walk(
      ApiClient client, Fleet fleet, String sort, int limit, Map<String, Object> filters) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, Object> query = new HashMap<>(Map.of("group", fleet.group(), "limit", limit));
      query.putAll(filters);
      query.put("sort", sort);
      if (cursor != null) {
        query.put("cursor", cursor);
      }
      JsonPath page = list(client, query);
      seen.addAll(
          page.getList("items.name", String.class).stream()
              .map(n -> n.substring(fleet.prefix().length()))
              .toList());
      cursor = page.getString("next");
    } while (cursor != null && seen.size() < 20);
    return seen;
  }

  @Test
  void sortsByNameIgnoringCaseAcrossPages() {
    ApiClient admin = ApiClient.admin();
    Fleet fleet = fleet(admin);
    assertEquals(List.of("a", "B", "c", "D", "e"), walk(admin, fleet, "name", 2), "sort=name");
  }

  @Test
  void sortsByStatusOnlineThenOfflineThenNeverSeenAcrossPages() {
    ApiClient admin = ApiClient.admin();
    Fleet fleet = fleet(admin);
    assertEquals(List.of("c", "B", "D", "a", "e"), walk(admin, fleet, "status", 2), "sort=status");
  }

  @Test
  void sortsByLastSeenOnlineFirstThenMostRecentAndNeverSeenLastAcrossPages() {
    ApiClient admin = ApiClient.admin();
    Fleet fleet = fleet(admin);
    assertEquals(
        List.of("c", "D", "B", "a", "e"), walk(admin, fleet, "lastSeen", 1), "sort=lastSeen");
  }

  /** The dashboard's "never seen" figure links here: the filter is the portal's, on every page. */
  @Test
  void seenNeverListsOnlyDevicesThatNeverConnectedAcrossPages() {
    ApiClient admin = ApiClient.admin();
    Fleet fleet = fleet(admin);
    assertEquals(
        List.of("a", "e"),
        walk(admin, fleet, "name", 1, Map.of("seen", "never")),
        "?seen=never, one device per page");
    expectProblem(
        400,
        "seen",
        admin.cookie().queryParam("seen", "recently").get("/api/devices"),
        "GET /api/devices?seen=recently");
  }

  @Test
  void anUnknownSortIs400NamingSort() {
    expectProblem(
        400,
        "sort",
        ApiClient.admin().cookie().queryParam("sort", "online").get("/api/devices"),
        "GET /api/devices?sort=online");
  }

  @Test
  void aCursorOfAnotherOrderOrMadeUpIs400NamingCursor() {
    ApiClient admin = ApiClient.admin();
    Fleet fleet = fleet(admin);
    String statusCursor =
        list(admin, Map.of("group", fleet.group(), "sort", "status", "limit", 1)).getString("next");
    for (String bad : List.of(statusCursor, "12", "not-a-cursor")) {
      expectProblem(
          400,
          "cursor",
          admin.cookie().queryParam("sort", "name").queryParam("cursor", bad).get("/api/devices"),
          "GET /api/devices?sort=name&cursor=" + bad);
    }
  }
}
