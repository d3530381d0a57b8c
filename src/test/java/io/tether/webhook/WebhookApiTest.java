package io.tether.webhook;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tether.testing.ApiClient;
import io.tether.testing.Await;
import io.tether.testing.EmbeddedPostgresResource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The webhook API's rules (problem JSON naming the field), secrets shown once, and events raised in
 * the transaction of the change: a device created is a device.created delivery.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class WebhookApiTest {
  /** TEST-NET-1: never answers, so attempts fail quietly in the background. */
  private static final String NOWHERE = "http://192.0.2.1:9/hook";

  private static JsonPath create(ApiClient admin, Map<String, Object> body) {
    return expect(
            201,
            admin.cookie().contentType("application/json").body(body).post("/api/webhooks"),
            "create webhook")
        .jsonPath();
  }

  @Test
  void anUnknownEventTypeIsRefusedNamingEvents() {
    ApiClient admin = ApiClient.admin();
    expectProblem(
        400,
        "events",
        admin
            .cookie()
            .contentType("application/json")
            .body(Map.of("url", NOWHERE, "events", List.of("device.exploded")))
            .post("/api/webhooks"),
        "unknown type");
  }

  @Test
  void aUrlThatIsNotHttpOrARefusedAddressIsRefusedNamingUrl() {
    ApiClient admin = ApiClient.admin();
    for (String url :
        List.of("ftp://example.com/x", "http://169.254.169.254/latest", "http://127.0.0.1:1/")) {
      expectProblem(
          400,
          "url",
          admin
              .cookie()
              .contentType("application/json")
              .body(Map.of("url", url, "events", List.of("*")))
              .post("/api/webhooks"),
          url);
    }
  }

  @Test
  void theSecretIsShownOnceAndRotationKeepsTheOldOneSigningForADay() {
    ApiClient admin = ApiClient.admin();
    JsonPath created = create(admin, Map.of("url", NOWHERE, "events", List.of("device.*")));
    String secret = created.getString("secret");
    assertTrue(secret.startsWith("whsec_"), secret);
    long id = created.getLong("id");
    String list = admin.cookie().get("/api/webhooks").asString();
    assertFalse(list.contains(secret.substring(6)), "the list shows no secret");
    assertFalse(list.contains("\"secret\""), list);

    JsonPath rotated =
        expect(200, admin.cookie().post("/api/webhooks/" + id + "/rotate-secret"), "rotate")
            .jsonPath();
    assertNotEquals(secret, rotated.getString("secret"));
    Instant until = Instant.parse(rotated.getString("previousSecretUntil"));
    Duration grace = Duration.between(Instant.now(), until);
    assertTrue(grace.compareTo(Duration.ofHours(23)) > 0, grace::toString);
    expect(204, admin.cookie().delete("/api/webhooks/" + id), "delete");
  }

  @Test
  void creatingADeviceQueuesItsDeviceCreatedAndAuditEvents() throws Exception {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    long id =
        create(
                admin,
                Map.of(
                    "url",
                    NOWHERE,
                    "events",
                    List.of("device.created", "audit.device.create"),
                    "groups",
                    List.of(group)))
            .getLong("id");
    ApiClient.NewDevice device = admin.createDevice(group);
    admin.createDevice(admin.createGroup()); // another group: filtered out
    String path = "/api/webhooks/" + id + "/deliveries";
    Await.until(
        "two deliveries for " + device.name(),
        Duration.ofSeconds(15),
        () -> admin.cookie().get(path).jsonPath().getList("items").size() >= 2);
    Thread.sleep(1500); // a third (the other group's device) would have been fanned out by now
    JsonPath log = admin.cookie().get(path).jsonPath();
    assertEquals(
        List.of("audit.device.create", "device.created"),
        log.getList("items.type", String.class).stream().sorted().toList(),
        log.prettify());
    expect(204, admin.cookie().delete("/api/webhooks/" + id), "delete");
  }
}
