package io.tether.deviceweb;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user's open device web pages: listed with the sign-in each came from; closing one ends it
 * (audited with its bytes) and no one else's; one past its end time is ended by the expiry chore,
 * audited as expired.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class UserDeviceWebTest {
  @Inject EntityManager em;
  @Inject DeviceWebSessions sessions;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A device-web session row of {@code user} on a new web target, ending {@code endsIn} from now.
   */
  private long openPage(ApiClient admin, ApiClient.NewUser user, String endsIn) {
    ApiClient.NewDevice device = admin.createDevice(admin.createGroup());
    byte[] label = new byte[10];
    RANDOM.nextBytes(label);
    byte[] idHash = new byte[32];
    RANDOM.nextBytes(idHash);
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              long target =
                  ((Number)
                          em.createNativeQuery(
                                  "insert into device_web_targets (device_id, target, scheme,"
                                      + " host_label) values (?1, 'ui', 'http', ?2) returning id")
                              .setParameter(1, Long.parseLong(device.id()))
                              .setParameter(2, java.util.HexFormat.of().formatHex(label))
                              .getSingleResult())
                      .longValue();
              long signIn =
                  ((Number)
                          em.createNativeQuery(
                                  "select max(s.id) from web_sessions s join users u on u.id ="
                                      + " s.user_id where u.username = ?1")
                              .setParameter(1, user.username())
                              .getSingleResult())
                      .longValue();
              return ((Number)
                      em.createNativeQuery(
                              "insert into device_web_sessions (id_hash, web_target_id, user_id,"
                                  + " web_session_id, address, expires_at, bytes_up, bytes_down)"
                                  + " select ?1, ?2, s.user_id, s.id, '192.0.2.7', now() + cast(?3"
                                  + " as interval), 1024, 4096 from web_sessions s where s.id = ?4"
                                  + " returning id")
                          .setParameter(1, idHash)
                          .setParameter(2, target)
                          .setParameter(3, endsIn)
                          .setParameter(4, signIn)
                          .getSingleResult())
                  .longValue();
            });
  }

  /** The details of the user's {@code web.open} audit entries. */
  private static List<String> webOpenDetails(ApiClient admin, ApiClient.NewUser u) {
    return expect(
            200,
            admin
                .cookie()
                .queryParam("action", "web.open")
                .queryParam("actor", u.username())
                .get("/api/audit"),
            "GET /api/audit")
        .jsonPath()
        .getList("items.detail", String.class);
  }

  private String endReason(long id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                (String)
                    em.createNativeQuery("select end_reason from device_web_sessions where id = ?1")
                        .setParameter(1, id)
                        .getSingleResult());
  }

  @Test
  void theUserListsTheirOpenPagesAndClosingOneEndsThatOneOnly() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient user = ApiClient.signIn(u.username(), u.password(), "192.0.2.50");
    long first = openPage(admin, u, "1 hour");
    long second = openPage(admin, u, "1 hour");

    JsonPath list = expect(200, user.cookie().get("/api/me/device-web"), "GET").jsonPath();
    assertEquals(List.of(second, first), list.getList("items.id", Long.class), "newest first");
    assertEquals("ui", list.getString("items[0].target"));
    assertEquals(4096, list.getLong("items[0].bytesDown"));
    long signInId =
        expect(200, user.cookie().get("/api/me/sign-ins"), "GET").jsonPath().getLong("items[0].id");
    assertEquals(signInId, list.getLong("items[0].signInId"), "the sign-in it was opened from");

    ApiClient stranger = ApiClient.signIn(admin.createUser());
    expectProblem(
        404, null, stranger.cookie().delete("/api/me/device-web/" + first), "another user's");
    expect(204, user.cookie().delete("/api/me/device-web/" + first), "close the first");
    assertEquals(DeviceWebSessions.ENDED_BY_USER, endReason(first));
    expectProblem(404, null, user.cookie().delete("/api/me/device-web/" + first), "closed twice");
    assertEquals(
        List.of(second),
        expect(200, user.cookie().get("/api/me/device-web"), "GET")
            .jsonPath()
            .getList("items.id", Long.class));
    List<String> audit = webOpenDetails(admin, u);
    assertTrue(
        audit.contains("ended (ended by the user): 1024 bytes to the device, 4096 bytes from it"),
        audit::toString);
  }

  @Test
  void aPagePastItsEndIsEndedByTheExpiryChoreAndAuditedAsExpired() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient user = ApiClient.signIn(u.username(), u.password(), "192.0.2.51");
    long past = openPage(admin, u, "-1 minute");
    long live = openPage(admin, u, "1 hour");
    assertEquals(
        List.of(live),
        expect(200, user.cookie().get("/api/me/device-web"), "GET")
            .jsonPath()
            .getList("items.id", Long.class),
        "a page past its end is not listed");

    sessions.expire();

    assertEquals(DeviceWebSessions.EXPIRED, endReason(past));
    assertEquals(null, endReason(live), "a live page stays open");
    List<String> audit = webOpenDetails(admin, u);
    assertTrue(audit.stream().anyMatch(d -> d.startsWith("ended (expired)")), audit::toString);
  }
}
