package io.tether.webhook;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.Messages;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import io.tether.testing.ScriptedAgent;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The events of their own beside the audit stream: refusals, take-overs and lock-outs from their
 * audit entries, a duplicate agent once per quiet spell, a target's status change; and a webhook is
 * never sent to another node's internal address. Read from the outbox, kept by an endpoint that
 * takes these types (it never answers: loopback is refused when sent).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class PortalEventsTest {
  private static final Duration STEP = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL root;

  @Inject EntityManager em;
  @Inject AuditLog audit;
  @Inject NodeAddresses nodes;

  private ApiClient admin;
  private long endpoint;

  @BeforeEach
  void keepTheseEvents() {
    admin = ApiClient.admin();
    endpoint =
        expect(
                201,
                admin
                    .cookie()
                    .body(
                        Map.of(
                            "url",
                            "http://localhost:9/kept",
                            "events",
                            List.of(
                                "device.duplicate-agent",
                                "device.target-status",
                                "link.*",
                                "ingress.*",
                                "session.take-over",
                                "auth.locked-out",
                                "auth.mfa-locked")))
                    .post("/api/webhooks"),
                "an endpoint that keeps the events in the outbox")
            .jsonPath()
            .getLong("id");
  }

  @AfterEach
  void removeTheEndpoint() {
    expect(204, admin.cookie().delete("/api/webhooks/" + endpoint), "cleanup");
  }

  /** The data of each outbox event of {@code type} about the device (null: of no device). */
  private List<JsonNode> events(String type, Long deviceId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              @SuppressWarnings("unchecked")
              List<String> rows =
                  em.createNativeQuery(
                          "select cast(data as text) from webhook_outbox where type = :t"
                              + (deviceId == null ? "" : " and device_id = " + deviceId)
                              + " order by id")
                      .setParameter("t", type)
                      .getResultList();
              List<JsonNode> out = new ArrayList<>();
              for (String r : rows) {
                out.add(JSON.readTree(r));
              }
              return out;
            });
  }

  private ScriptedAgent agent(ApiClient.NewDevice device) throws Exception {
    return ScriptedAgent.serialConsole(root.toString(), device.token());
  }

  @Test
  void refusalsTakeOversAndLockOutsRaiseEventsOfTheirOwn() {
    ApiClient.NewDevice device = admin.createDevice(null);
    long id = Long.parseLong(device.id());
    Map<String, String> raised =
        Map.of(
            "link.refused", "link.refused",
            "ingress.refused", "ingress.refused",
            "session.take-over", "session.take-over");
    raised.forEach(
        (action, type) ->
            audit.record(
                Audit.by("bob", null, "192.0.2.7")
                    .action(action)
                    .outcome("session.take-over".equals(action) ? Audit.OK : Audit.DENIED)
                    .subject(device.name() + "/" + action)
                    .device(id)
                    .detail("why: " + action)));
    String user = ApiClient.unique("locked");
    audit.record(
        Audit.by(user, null, "192.0.2.8")
            .action("auth.lockout")
            .outcome(Audit.DENIED)
            .subject(user)
            .detail("5 failures"));

    raised.forEach(
        (action, type) -> {
          List<JsonNode> got = events(type, id);
          assertEquals(1, got.size(), type + " once");
          assertEquals(device.name() + "/" + action, got.get(0).path("subject").asText());
          assertEquals("why: " + action, got.get(0).path("detail").asText());
          assertEquals(device.name(), got.get(0).path("device").path("name").asText());
          assertTrue(got.get(0).path("sequence").isNumber(), "a device event has its sequence");
        });
    assertEquals(
        1,
        events("auth.locked-out", null).stream()
            .filter(e -> user.equals(e.path("subject").asText()))
            .count(),
        "auth.locked-out once, naming the account");
  }

  @Test
  void aDuplicateAgentRaisesOneEventPerQuietSpellNotOnePerRetry() throws Exception {
    ApiClient.NewDevice device = admin.createDevice(null);
    long id = Long.parseLong(device.id());
    ScriptedAgent holder = agent(device);
    holder.welcome().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    for (int i = 0; i < 3; i++) {
      ScriptedAgent twin = agent(device);
      twin.closed().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    }
    ApiClient.eventually(
        "device.duplicate-agent", STEP, () -> !events("device.duplicate-agent", id).isEmpty());
    ApiClient.eventually(
        "three refusals audited",
        STEP,
        () -> admin.audit(Map.of("action", "tunnel.refused", "deviceId", device.id())).size() >= 3);
    List<JsonNode> got = events("device.duplicate-agent", id);
    assertEquals(1, got.size(), "three refused twins, one event: " + got);
    assertTrue(got.get(0).path("detail").asText().contains("another agent installation"));
    holder.close(1000, "bye");
  }

  @Test
  void aTargetsNewStatusRaisesAnEventAndTheSameStatusAgainDoesNot() throws Exception {
    ApiClient.NewDevice device = admin.createDevice(null);
    long id = Long.parseLong(device.id());
    ScriptedAgent agent = agent(device);
    agent.welcome().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    for (int i = 0; i < 2; i++) {
      agent.send(
          Frame.control(
              FrameType.TARGET_STATUS,
              Messages.targetStatus(
                  new Messages.TargetStatus("console", Messages.STATUS_MISSING, "unplugged"))));
    }
    ApiClient.eventually(
        "device.target-status", STEP, () -> !events("device.target-status", id).isEmpty());
    ApiClient.eventually(
        "the device page shows it missing",
        STEP,
        () ->
            "missing"
                .equals(
                    admin
                        .cookie()
                        .get("/api/devices/" + device.id())
                        .jsonPath()
                        .getString("targets[0].status")));
    List<JsonNode> got = events("device.target-status", id);
    assertEquals(1, got.size(), "one change, one event: " + got);
    assertEquals("console", got.get(0).path("target").asText());
    assertEquals("missing", got.get(0).path("status").asText());
    assertEquals("ok", got.get(0).path("previous").asText());
    agent.close(1000, "bye");
  }

  @Test
  void anotherNodesInternalAddressIsRefused() {
    String node = "test-node-" + UUID.randomUUID();
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "insert into portal_node (id, url, epoch, fingerprint, state)"
                            + " values (:id, 'https://10.211.7.9:8443', -7, 'test', 'live')")
                    .setParameter("id", node)
                    .executeUpdate());
    try {
      nodes.forget();
      String detail =
          expectProblem(
                  400,
                  "url",
                  admin
                      .cookie()
                      .body(Map.of("url", "http://10.211.7.9:8443/x", "events", List.of("*")))
                      .post("/api/webhooks"),
                  "a webhook to another node's internal listener")
              .getString("detail");
      assertTrue(detail.contains("another node"), detail);
      long beside =
          expect(
                  201,
                  admin
                      .cookie()
                      .body(
                          Map.of(
                              "url", "http://10.211.7.10:8443/x", "events", List.of("node.down")))
                      .post("/api/webhooks"),
                  "the address beside it is an ordinary private address")
              .jsonPath()
              .getLong("id");
      expect(204, admin.cookie().delete("/api/webhooks/" + beside), "cleanup");
    } finally {
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  em.createNativeQuery("delete from portal_node where id = :id")
                      .setParameter("id", node)
                      .executeUpdate());
      nodes.forget();
    }
  }
}
