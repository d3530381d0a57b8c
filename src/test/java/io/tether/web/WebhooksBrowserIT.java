package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Webhooks admin page, end to end: headless Chromium runs frontend/e2e/webhooks.mjs as an admin
 * against the packaged portal, which sends to the Node.js receiver on loopback (allowed with {@code
 * TETHER_WEBHOOK_ALLOW}). The browser creates the endpoint, reads the delivery log and redelivers;
 * this side creates the device and checks that the receiver verified both requests.
 */
class WebhooksBrowserIT {
  private static final Duration BROWSER = Duration.ofSeconds(180);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PATH = "/from-the-page";

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "webhooks-browser",
          Map.of("TETHER_WEBHOOK_ALLOW", "127.0.0.1/32", "TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  @RegisterExtension static final WebhookReceiver receiver = WebhookReceiver.forClass();

  @Test
  void anAdminCreatesAnEndpointOnThePageSeesTheDeliveryAndRedeliversIt() {
    Map<String, BrowserDialogue.Handler> handlers =
        Map.of(
            "createDevice",
            r -> {
              receiver.secrets(List.of(r.get("secret").asText()));
              portal.admin().post("/api/devices", Map.of("name", PortalApi.unique("dev")));
              return null;
            },
            "awaitRedelivered",
            r -> {
              Await.until("the redelivery", WAIT, () -> receiver.received(PATH).size() == 2);
              return null;
            });
    BrowserDialogue.run(
        "webhooks.mjs",
        "page",
        Map.of(
            "TETHER_URL", portal.baseUrl(),
            "ADMIN_PASSWORD", PortalProcess.ADMIN_PASSWORD,
            "WEBHOOK_URL", receiver.url(PATH)),
        handlers,
        BROWSER);
    List<JsonNode> got = receiver.received(PATH);
    for (JsonNode r : got) {
      assertEquals("[0]", r.get("verified").toString(), "signed with the secret the page showed");
    }
    assertEquals(got.get(0).get("id"), got.get(1).get("id"), "a redelivery keeps its webhook-id");
  }
}
