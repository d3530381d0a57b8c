package io.tether.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No SSRF, on a packaged portal with the default rules (no {@code TETHER_WEBHOOK_ALLOW}): a literal
 * refused address is refused when the endpoint is made, and a name that resolves to loopback is
 * refused when it is sent to, on the address it resolved to, as a failed attempt the log explains.
 */
class WebhookGuardIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension static final PortalFixture portal = PortalFixture.start("webhook-guard");

  @RegisterExtension static final WebhookReceiver receiver = WebhookReceiver.forClass();

  @Test
  void cloudMetadataAndLoopbackLiteralsAreRefusedNamingUrl() {
    for (String url : List.of("http://169.254.169.254/latest/meta-data/", receiver.url("/x"))) {
      JsonNode problem =
          PortalApi.expect(
              400,
              portal
                  .admin()
                  .request("POST", "/api/webhooks", Map.of("url", url, "events", List.of("*"))),
              url);
      assertEquals("url", problem.get("field").asText(), problem.toString());
    }
  }

  @Test
  void aNameResolvingToLoopbackIsRefusedWhenSentToWithoutTheAllowSetting() {
    JsonNode created =
        PortalApi.expect(
            201,
            portal
                .admin()
                .request(
                    "POST",
                    "/api/webhooks",
                    Map.of(
                        "url",
                        receiver.localhostUrl("/name"),
                        "events",
                        List.of("device.created"))),
            "create");
    long id = created.get("id").asLong();
    portal.admin().post("/api/devices", Map.of("name", PortalApi.unique("dev")));
    String log = "/api/webhooks/" + id + "/deliveries";
    Await.until(
        "a refused attempt",
        WAIT,
        () -> portal.admin().get(log).at("/items/0/attempts").size() >= 1);
    JsonNode attempt = portal.admin().get(log).at("/items/0/attempts/0");
    assertTrue(attempt.get("status").isNull(), attempt.toString());
    assertTrue(
        attempt.get("error").asText().contains("refused: 127.0.0.1 is loopback"),
        attempt.toString());
    assertTrue(receiver.received("/name").isEmpty(), "nothing reached the receiver");
  }
}
