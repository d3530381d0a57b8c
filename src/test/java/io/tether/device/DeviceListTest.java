package io.tether.device;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** GET /api/devices filters by name, tag, group and presence, and pages with a cursor. */
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
}
