package io.tether.alert;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import io.tether.testing.ScriptedAgent;
import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.persistence.EntityManager;
import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * E-mail alerts, delivered to a real SMTP server (GreenMail): only to confirmed addresses, only to
 * subscribers who may see the device when the mail is built, one mail first and then a digest.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(SmtpServerResource.class)
class MailAlertsTest {
  private static final Duration STEP = Duration.ofSeconds(20);

  /** Longer than the digest window and a few mailer ticks: what did not arrive by then won't. */
  private static final Duration QUIET = Duration.ofSeconds(8);

  @TestHTTPResource("/")
  URL root;

  @Inject EntityManager em;

  private ApiClient admin;

  @BeforeEach
  void signIn() {
    admin = ApiClient.admin();
  }

  /** A user with a grant on {@code group} (null: none), a confirmed address, subscribed. */
  private record Subscriber(ApiClient.NewUser user, String address) {}

  private Subscriber subscriber(String group, Long subscribedGroupId, List<String> events) {
    ApiClient.NewUser user = admin.createUser();
    if (group != null) {
      admin.grant(user.id(), group, "viewer");
    }
    String address = ApiClient.unique("mail").toLowerCase(Locale.ROOT) + "@example.test";
    expect(
        200,
        admin.cookie().body(Map.of("address", address)).put("/api/users/" + user.id() + "/email"),
        "an admin sets the address");
    Map<String, Object> item = new HashMap<>();
    item.put("groupId", subscribedGroupId);
    item.put("events", events);
    expect(
        200,
        ApiClient.signIn(user).cookie().body(Map.of("items", List.of(item))).put("/api/me/alerts"),
        "subscribe");
    return new Subscriber(user, address);
  }

  /** The device's agent connects, is welcomed, and goes away: device.offline. */
  private void connectAndDrop(ApiClient.NewDevice device) throws Exception {
    ScriptedAgent agent = ScriptedAgent.serialConsole(root.toString(), device.token());
    agent.welcome().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    ApiClient.eventually(
        device.name() + " online",
        STEP,
        () -> admin.cookie().get("/api/devices/" + device.id()).jsonPath().getBoolean("online"));
    agent.close(1000, "bye").get(STEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static List<MimeMessage> mailTo(String address) {
    return Arrays.stream(SmtpServerResource.server.getReceivedMessages())
        .filter(m -> recipients(m).contains(address))
        .toList();
  }

  private static List<String> recipients(MimeMessage m) {
    try {
      Address[] to = m.getAllRecipients();
      return to == null ? List.of() : Arrays.stream(to).map(Address::toString).toList();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<MimeMessage> awaitMail(String address, int count) {
    ApiClient.eventually(
        count + " mail(s) to " + address, STEP, () -> mailTo(address).size() >= count);
    return mailTo(address);
  }

  /** The user's alerts waiting for a mail (read from the database the mailer reads). */
  private long pending(long userId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((Number)
                        em.createNativeQuery(
                                "select count(*) from alert_pending where user_id = :u")
                            .setParameter("u", userId)
                            .getSingleResult())
                    .longValue());
  }

  private static void quiet() throws InterruptedException {
    Thread.sleep(QUIET.toMillis());
  }

  @Test
  void anOfflineAlertReachesOnlyConfirmedSubscribersWhoMaySeeTheDevice() throws Exception {
    String group = admin.createGroup();
    long groupId = Long.parseLong(admin.groupId(group));
    ApiClient.NewDevice device = admin.createDevice(group);
    Subscriber watcher = subscriber(group, groupId, List.of("device.offline"));
    Subscriber outsider = subscriber(admin.createGroup(), null, List.of("device.offline"));
    Subscriber sessionsOnly = subscriber(group, null, List.of("session.started"));
    ApiClient.NewUser unconfirmed = admin.createUser();
    admin.grant(unconfirmed.id(), group, "viewer");
    ApiClient own = ApiClient.signIn(unconfirmed);
    String ownAddress = ApiClient.unique("own").toLowerCase(Locale.ROOT) + "@example.test";
    expect(202, own.cookie().body(Map.of("address", ownAddress)).put("/api/me/email"), "own");
    expect(
        200,
        own.cookie()
            .body(Map.of("items", List.of(Map.of("events", List.of("device.offline")))))
            .put("/api/me/alerts"),
        "the unconfirmed user subscribes to every group");

    connectAndDrop(device);

    MimeMessage alert = awaitMail(watcher.address(), 1).get(0);
    assertEquals("[Tether] " + device.name() + ": went offline", subject(alert));
    String body = GreenMailUtil.getBody(alert);
    assertTrue(body.contains("/devices/" + device.id()), "the mail links the device: " + body);
    assertEquals("alerts@tether.test", alert.getFrom()[0].toString(), "sent from TETHER_SMTP_FROM");
    quiet();
    assertEquals(1, mailTo(watcher.address()).size(), "one drop, one mail");
    assertTrue(mailTo(outsider.address()).isEmpty(), "a user who cannot see the device got mail");
    assertTrue(
        mailTo(sessionsOnly.address()).isEmpty(), "a session subscriber got an offline alert");
    assertEquals(
        List.of("[Tether] Confirm your e-mail address"),
        mailTo(ownAddress).stream().map(MailAlertsTest::subject).toList(),
        "an unconfirmed address gets its confirmation link and no alert");
  }

  @Test
  void alertsWithinTheWindowAfterAMailGoOutAsOneDigest() throws Exception {
    String group = admin.createGroup();
    List<ApiClient.NewDevice> devices =
        List.of(admin.createDevice(group), admin.createDevice(group), admin.createDevice(group));
    Subscriber s = subscriber(group, null, List.of("device.offline"));

    connectAndDrop(devices.get(0));
    assertEquals(
        "[Tether] " + devices.get(0).name() + ": went offline",
        subject(awaitMail(s.address(), 1).get(0)),
        "the first alert goes out at once");
    connectAndDrop(devices.get(1));
    connectAndDrop(devices.get(2));

    MimeMessage digest = awaitMail(s.address(), 2).get(1);
    assertEquals("[Tether] 2 alerts: 2 went offline", subject(digest));
    String body = GreenMailUtil.getBody(digest);
    assertTrue(
        body.contains(devices.get(1).name()) && body.contains(devices.get(2).name()),
        "the digest names both devices: " + body);
  }

  @Test
  void aDeviceWhoseGrantIsRemovedBeforeTheDigestIsBuiltIsNotNamedInIt() throws Exception {
    String kept = admin.createGroup();
    String revoked = admin.createGroup();
    ApiClient.NewDevice first = admin.createDevice(kept);
    ApiClient.NewDevice hidden = admin.createDevice(revoked);
    ApiClient.NewDevice shown = admin.createDevice(kept);
    Subscriber s = subscriber(kept, null, List.of("device.offline"));
    String grant = admin.grant(s.user().id(), revoked, "viewer");

    connectAndDrop(first);
    awaitMail(s.address(), 1);
    connectAndDrop(hidden);
    ApiClient.eventually(
        "the hidden device's alert waits for the digest",
        STEP,
        () -> pending(Long.parseLong(s.user().id())) >= 1);
    connectAndDrop(shown);
    expect(
        204,
        admin.cookie().delete("/api/users/" + s.user().id() + "/grants/" + grant),
        "the grant on the hidden device's group is removed while its alert waits");

    MimeMessage second = awaitMail(s.address(), 2).get(1);
    assertEquals("[Tether] " + shown.name() + ": went offline", subject(second));
    assertFalse(
        GreenMailUtil.getBody(second).contains(hidden.name()),
        "a device the reader can no longer see is not named");
  }

  @Test
  void aDroppedDeviceIsANotificationForThoseWhoMaySeeItUntilTheyReadIt() throws Exception {
    String group = admin.createGroup();
    ApiClient.NewDevice device = admin.createDevice(group);
    ApiClient.NewUser viewer = admin.createUser();
    admin.grant(viewer.id(), group, "viewer");
    ApiClient reader = ApiClient.signIn(viewer);
    ApiClient other = ApiClient.signIn(admin.createUser());
    String item = "items.find { it.deviceId == " + device.id() + " }";

    connectAndDrop(device);

    ApiClient.eventually(
        "the notification",
        STEP,
        () -> reader.cookie().get("/api/notifications").jsonPath().get(item) != null);
    JsonPath page = expect(200, reader.cookie().get("/api/notifications"), "list").jsonPath();
    assertEquals(device.name() + " went offline", page.getString(item + ".text"));
    assertEquals("device.offline", page.getString(item + ".type"));
    assertTrue(page.getBoolean(item + ".unread"));
    assertTrue(page.getInt("unread") >= 1);
    assertNull(
        other.cookie().get("/api/notifications").jsonPath().get(item),
        "a user without a grant on the group does not see it");
    assertTrue(
        admin.cookie().get("/api/notifications").jsonPath().get(item) != null, "admins see all");

    expect(
        204,
        reader
            .cookie()
            .body(Map.of("upTo", page.getLong("items[0].id")))
            .post("/api/notifications/read"),
        "read");
    JsonPath read = expect(200, reader.cookie().get("/api/notifications"), "again").jsonPath();
    assertEquals(0, read.getInt("unread"));
    assertFalse(read.getBoolean(item + ".unread"));
    expectProblem(
        400, "upTo", reader.cookie().body(Map.of()).post("/api/notifications/read"), "no upTo");
  }

  @Test
  void aUserConfirmsTheirOwnAddressThroughTheMailedLinkOnce() {
    ApiClient user = ApiClient.signIn(admin.createUser());
    String address = ApiClient.unique("self").toLowerCase(Locale.ROOT) + "@example.test";
    JsonPath set =
        expect(
                202,
                user.cookie().body(Map.of("address", address)).put("/api/me/email"),
                "PUT /api/me/email")
            .jsonPath();
    assertFalse(set.getBoolean("confirmed"));
    String body = GreenMailUtil.getBody(awaitMail(address, 1).get(0));
    Matcher link = Pattern.compile("/confirm-email#([A-Za-z0-9_-]{43})").matcher(body);
    assertTrue(link.find(), "the mail holds the link: " + body);

    expect(
        200,
        ApiClient.anonymous().body(Map.of("token", link.group(1))).post("/api/email-confirmations"),
        "following the link, signed in or not");
    JsonPath now = expect(200, user.cookie().get("/api/me/email"), "GET").jsonPath();
    assertEquals(address, now.getString("address"));
    assertTrue(now.getBoolean("confirmed"));
    expectProblem(
        400,
        "token",
        ApiClient.anonymous().body(Map.of("token", link.group(1))).post("/api/email-confirmations"),
        "a link works once");
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    ApiClient user = ApiClient.signIn(admin.createUser());
    expectProblem(
        400,
        "address",
        user.cookie().body(Map.of("address", "not an address")).put("/api/me/email"),
        "an address that is none");
    expectProblem(
        400,
        "address",
        user.cookie().body(Map.of("address", "a@b.example, c@d.example")).put("/api/me/email"),
        "two addresses");
    expectProblem(
        400,
        "items[0].events[0]",
        user.cookie()
            .body(Map.of("items", List.of(Map.of("events", List.of("device.exploded")))))
            .put("/api/me/alerts"),
        "an unknown event");
    String foreign = admin.groupId(admin.createGroup());
    expectProblem(
        400,
        "items[0].groupId",
        user.cookie()
            .body(
                Map.of(
                    "items",
                    List.of(
                        Map.of(
                            "groupId", Long.parseLong(foreign),
                            "events", List.of("device.offline")))))
            .put("/api/me/alerts"),
        "a group the user cannot see");
    expectProblem(
        404,
        null,
        admin.cookie().body(Map.of("address", "x@y.example")).put("/api/users/99999999/email"),
        "no such user");
    expectProblem(403, null, user.cookie().get("/api/admin/mail"), "not an admin");
    expectProblem(
        400,
        "token",
        ApiClient.anonymous().body(Map.of("token", "x")).post("/api/email-confirmations"),
        "a made-up link");
  }

  @Test
  void anEndpointFailingForThreeDaysIsDisabledAuditedAndAdminsAreMailed() {
    String adminAddress = ApiClient.unique("ops").toLowerCase(Locale.ROOT) + "@example.test";
    expect(
        200,
        admin
            .cookie()
            .body(Map.of("address", adminAddress))
            .put("/api/users/" + admin.userId() + "/email"),
        "the admin's own address");
    String url = "http://localhost:9/" + ApiClient.unique("failing");
    long id =
        expect(
                201,
                admin
                    .cookie()
                    .body(Map.of("url", url, "events", List.of("device.created")))
                    .post("/api/webhooks"),
                "an endpoint that never answers (loopback is refused when sent)")
            .jsonPath()
            .getLong("id");
    admin.createDevice(null);
    ApiClient.eventually(
        "a failed first attempt",
        STEP,
        () ->
            admin
                    .cookie()
                    .get("/api/webhooks/" + id + "/deliveries")
                    .jsonPath()
                    .getList("items[0].attempts")
                != null);
    long delivery =
        admin.cookie().get("/api/webhooks/" + id + "/deliveries").jsonPath().getLong("items[0].id");
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "update webhooks set failing_since = now() - interval '3 days 1 minute'"
                            + " where id = :id")
                    .setParameter("id", id)
                    .executeUpdate());
    expect(
        202,
        admin.cookie().post("/api/webhooks/" + id + "/deliveries/" + delivery + "/redeliver"),
        "one more attempt, after three days of failures");

    MimeMessage told = awaitMail(adminAddress, 1).get(0);
    assertEquals("[Tether] Webhook disabled: " + url, subject(told));
    JsonPath hook = expect(200, admin.cookie().get("/api/webhooks"), "list").jsonPath();
    String path = "items.find { it.id == " + id + " }.";
    assertFalse(hook.getBoolean(path + "enabled"), "disabled");
    assertTrue(
        hook.getString(path + "disabledReason").startsWith("every attempt failed for 3 days"),
        hook.getString(path + "disabledReason"));
    assertTrue(
        GreenMailUtil.getBody(told).contains(hook.getString(path + "disabledReason")),
        "the mail says why");
    assertEquals(
        1, admin.audit(Map.of("action", "webhook.disable", "subject", url)).size(), "audited once");
    String notice =
        "items.find { it.type == 'webhook.disabled' && it.text.contains('" + url + "') }";
    ApiClient.eventually(
        "the admins' notification",
        STEP,
        () -> admin.cookie().get("/api/notifications").jsonPath().get(notice) != null);
    assertNull(
        ApiClient.signIn(admin.createUser())
            .cookie()
            .get("/api/notifications")
            .jsonPath()
            .get(notice),
        "a notification of no group is for admins only");
  }

  @Test
  void aTestMailGoesOutAndAServerThatIsDownIsNamedWithItsReason() {
    String address = ApiClient.unique("admin").toLowerCase(Locale.ROOT) + "@example.test";
    JsonPath sent =
        expect(
                200,
                admin.cookie().body(Map.of("to", address)).post("/api/admin/mail/test"),
                "a test mail")
            .jsonPath();
    assertEquals(address, sent.getString("sentTo"));
    assertEquals("[Tether] Test mail", subject(awaitMail(address, 1).get(0)));

    SmtpServerResource.server.stop();
    try {
      JsonPath refused =
          expectProblem(
              502,
              null,
              admin.cookie().body(Map.of("to", address)).post("/api/admin/mail/test"),
              "the server is down");
      assertTrue(
          refused.getString("detail").contains("127.0.0.1:" + SmtpServerResource.port),
          "the detail names the server: " + refused.getString("detail"));
      JsonPath status = expect(200, admin.cookie().get("/api/admin/mail"), "status").jsonPath();
      assertTrue(status.getBoolean("configured"));
      assertTrue(
          status.getString("lastError").contains("127.0.0.1:" + SmtpServerResource.port),
          "the admin page shows the error: " + status.prettify());
    } finally {
      SmtpServerResource.restart();
    }
    expect(
        200,
        admin.cookie().body(Map.of("to", address)).post("/api/admin/mail/test"),
        "the server is back");
    assertNull(
        expect(200, admin.cookie().get("/api/admin/mail"), "status").jsonPath().get("lastError"),
        "a mail sent clears the error");
  }
}
